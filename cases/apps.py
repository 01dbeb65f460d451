from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Hồ sơ F0")

    def ready(self):
        from cases.retention import cases_purge_personal_data
        from core import maintenance

        maintenance.register("cases_purge_personal_data", cases_purge_personal_data)
