from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo accounts, demo declarations with photos and synthetic cases: installed only
    when DEMO_MODE or DEBUG is on (config/settings.py), so a real site cannot load them."""

    name = "demo"
    verbose_name = _("Dữ liệu mô phỏng")
