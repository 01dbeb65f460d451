from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Giao diện lập trình (API)")

    def ready(self):
        from accounts.models import Role
        from core import navigation

        navigation.register(_("Khóa API"), "api_tokens:list", [Role.SYSTEM_ADMIN], order=95)
