from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Thông báo SMS và email")

    def ready(self):
        from core import maintenance
        from notifications import channels  # noqa: F401 - registers the channels
        from notifications.recovery import deliveries_resume
        from notifications.services import notification_purge, phone_code_purge

        # Deliveries whose worker died are queued again (also when the worker restarts).
        maintenance.register(
            "notification_deliveries_resume", deliveries_resume, at_worker_start=True
        )
        maintenance.register("notification_purge", notification_purge)
        maintenance.register("phone_code_purge", phone_code_purge)
