from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Theo dõi và báo cáo")

    def ready(self):
        from accounts.models import COMMUNE_ROLES, MONITORING_ROLES, Role
        from core import maintenance, navigation
        from reports.digests import digests_send_morning
        from reports.exports.jobs import exports_purge, exports_resume
        from reports.summaries import summaries_refresh

        maintenance.register("summaries_refresh", lambda: summaries_refresh().processed)
        maintenance.register("exports_purge", exports_purge)
        # Exports whose builder died are queued again (also when the worker restarts).
        maintenance.register("exports_resume", exports_resume, at_worker_start=True)
        # The officials' morning digest: once a day per person however often it runs.
        maintenance.register("digests_send_morning", digests_send_morning)

        navigation.register(
            _("Theo dõi"), "reports:dashboard", (*MONITORING_ROLES, *COMMUNE_ROLES), order=40
        )
        navigation.register(
            _("Nhật ký truy cập"),
            "reports:audit",
            (Role.SYSTEM_ADMIN, Role.PROVINCE_HEALTH),
            order=90,
        )
