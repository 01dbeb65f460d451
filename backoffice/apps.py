from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = _("Xử lý hồ sơ cấp xã")

    def ready(self):
        from accounts.models import CASE_READER_ROLES, RULE_READER_ROLES
        from backoffice.services import register_job_kinds
        from core import navigation

        register_job_kinds()
        # Entering and importing cases start from the inbox's buttons: the menu stays short.
        navigation.register(_("Hồ sơ"), "backoffice:inbox", CASE_READER_ROLES, order=10)
        navigation.register(
            _("Chưa báo cáo sức khỏe"), "backoffice:not_reporting", CASE_READER_ROLES, order=15
        )
        navigation.register(_("Quy định cách ly"), "backoffice:rules", RULE_READER_ROLES, order=85)
