from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Việc hàng loạt")

    def ready(self):
        from core import maintenance
        from jobs.recovery import jobs_resume

        # The jobs of workers that died are taken up again at the next run.
        maintenance.register("bulk_jobs_resume", jobs_resume, at_worker_start=True)
