from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from accounts import provisioning, signals  # noqa: F401
        from accounts.models import Role
        from accounts.selectors import can_manage_accounts
        from core import maintenance, navigation

        provisioning.register()
        maintenance.register("accounts_handovers_purge", provisioning.handovers_purge)

        navigation.register(
            _("Tài khoản"),
            "accounts:user_list",
            [Role.SYSTEM_ADMIN, Role.DISTRICT_STAFF],
            order=90,
            visible=can_manage_accounts,
        )
