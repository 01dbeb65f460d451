from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Cấu hình chung")

    def ready(self):
        from datetime import timedelta

        from django.utils import timezone

        from cases.retention import cases_purge_personal_data
        from core import maintenance
        from core.ratelimit import ratelimit_purge
        from notifications.services import notification_purge, phone_code_purge
        from uploads.services import uploads_purge_unattached

        maintenance.register("ratelimit_purge", ratelimit_purge)
        maintenance.register("cases_purge_personal_data", cases_purge_personal_data)
        maintenance.register("notification_purge", notification_purge)
        maintenance.register("phone_code_purge", phone_code_purge)
        # Photos staged for a form never sent: kept a day, longer than any session.
        maintenance.register(
            "uploads_purge_unattached",
            lambda: uploads_purge_unattached(older_than=timezone.now() - timedelta(hours=24)),
        )
