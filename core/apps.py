from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Cấu hình chung")

    def ready(self):
        from core import maintenance
        from core.db_statistics import statistics_refresh
        from core.ratelimit import ratelimit_purge

        # Core's own jobs; every other app registers its jobs in its own ready().
        maintenance.register("ratelimit_purge", ratelimit_purge)
        maintenance.register("statistics_refresh", statistics_refresh)
