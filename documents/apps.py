from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Văn bản")

    def ready(self):
        from accounts.models import COMMUNE_ROLES, Role
        from cases.lifecycle import after_transition_register
        from cases.retention import purge_hook_register
        from core import maintenance, navigation
        from documents import batches
        from documents.files import files_purge_orphans
        from documents.services import documents_after_transition, documents_purge_drafts

        after_transition_register(documents_after_transition)
        purge_hook_register(documents_purge_drafts)
        batches.register()
        maintenance.register("documents_orphan_files", files_purge_orphans)
        navigation.register(_("Văn bản chờ ban hành"), "documents:pending", COMMUNE_ROLES, order=40)
        navigation.register(_("Tuyên truyền"), "documents:outreach", [Role.SYSTEM_ADMIN], order=82)
        navigation.register(
            _("Mẫu văn bản"),
            "documents:settings",
            [Role.SYSTEM_ADMIN, Role.COMMUNE_LEADER],
            order=80,
        )
