from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Văn bản")

    def ready(self):
        from accounts.models import COMMUNE_ROLES, Role
        from core import navigation
        from documents import batches

        batches.register()
        navigation.register(_("Văn bản chờ ban hành"), "documents:pending", COMMUNE_ROLES, order=40)
        navigation.register(
            _("Mẫu văn bản"),
            "documents:settings",
            [Role.SYSTEM_ADMIN, Role.COMMUNE_LEADER],
            order=80,
        )
