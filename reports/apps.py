from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Theo dõi và báo cáo")

    def ready(self):
        from accounts.models import COMMUNE_ROLES, MONITORING_ROLES, Role
        from core import navigation

        navigation.register(
            _("Theo dõi"), "reports:dashboard", (*MONITORING_ROLES, *COMMUNE_ROLES), order=40
        )
        navigation.register(
            _("Nhật ký truy cập"),
            "reports:audit",
            (Role.SYSTEM_ADMIN, Role.PROVINCE_HEALTH),
            order=90,
        )
