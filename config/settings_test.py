"""Settings for the test suite: the real settings with fast hashing and throwaway storage."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-" + "x" * 60)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
# Two-factor sign-in is tested where it is switched on (accounts/tests/test_two_factor.py).
os.environ.setdefault("TWO_FACTOR_ROLES", "")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="khaibaof0-test-"))

from config.settings import *  # noqa: E402,F403
from config.settings import DATABASES, INSTALLED_APPS, STORAGES  # noqa: E402

# The suite tests the demo app too (its commands still refuse to run unless DEMO_MODE or
# DEBUG is on at the time).
if "demo" not in INSTALLED_APPS:
    INSTALLED_APPS.append("demo")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
WHITENOISE_USE_FINDERS = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# A file database, not :memory:, so that tests with several threads share one database.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(os.environ["VAR_DIR"], "test.sqlite3")}
os.makedirs(STATIC_ROOT, exist_ok=True)  # noqa: F405 - whitenoise warns when it is missing
# The replica as a second connection to the test database: tests that turn
# REPORTS_READ_REPLICA on see the monitoring pages read through it.
DATABASES.setdefault("replica", {**DATABASES["default"], "TEST": {"MIRROR": "default"}})
