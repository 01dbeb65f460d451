from django.conf import settings

# Until the project settings list the app, a plain `pytest` run must not fail on it; run
# these tests with `--ds=uploads.tests.settings` meanwhile.
if "uploads" not in settings.INSTALLED_APPS:
    collect_ignore_glob = ["test_*.py"]
