from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Hồ sơ người mắc COVID-19")

    def ready(self):
        from cases.intake import intakes_resume
        from cases.lifecycle import after_transition_register
        from cases.retention import cases_purge_personal_data
        from cases.services.monitoring import (
            monitoring_after_transition,
            monitoring_links_send_morning,
        )
        from core import maintenance

        maintenance.register("cases_purge_personal_data", cases_purge_personal_data)
        # A submission whose worker died is recorded by the next worker, as soon as it starts.
        maintenance.register("intakes_resume", intakes_resume, at_worker_start=True)
        maintenance.register("monitoring_links_send_morning", monitoring_links_send_morning)
        after_transition_register(monitoring_after_transition)
