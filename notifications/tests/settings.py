"""Test settings with this app installed, until the lead adds it to config/settings.py."""

from config.settings_test import *  # noqa: F403
from config.settings_test import INSTALLED_APPS

if "notifications" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "notifications"]
