"""Test settings with the uploads app wired in, usable before config/ includes it."""

from config.settings_test import *  # noqa: F403
from config.settings_test import INSTALLED_APPS

if "uploads" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "uploads"]
ROOT_URLCONF = "uploads.tests.urls"
