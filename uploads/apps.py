from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UploadsConfig(AppConfig):
    name = "uploads"
    verbose_name = _("Ảnh tải lên")

    def ready(self):
        from datetime import timedelta

        from django.utils import timezone

        from core import maintenance
        from uploads.services import uploads_purge_orphans, uploads_purge_unattached

        # Photos staged for a form never sent: kept a day, longer than any session.
        maintenance.register(
            "uploads_purge_unattached",
            lambda: uploads_purge_unattached(older_than=timezone.now() - timedelta(hours=24)),
        )
        # Photo files whose request died or rolled back before their row was written.
        maintenance.register("uploads_purge_orphans", uploads_purge_orphans)
