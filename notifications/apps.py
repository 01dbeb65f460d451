from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Thông báo SMS và email")

    def ready(self):
        from core import maintenance
        from notifications.services import notification_purge, phone_code_purge

        maintenance.register("notification_purge", notification_purge)
        maintenance.register("phone_code_purge", phone_code_purge)
