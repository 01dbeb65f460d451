import pytest
from django.conf import settings

# Until the project settings list the app, a plain `pytest` run must not fail on it; run
# these tests with `--ds=uploads.tests.settings` meanwhile.
if "uploads" not in settings.INSTALLED_APPS:
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(autouse=True)
def private_storage(tmp_path, settings):
    """Each test gets its own empty private storage folder."""
    storages = {**settings.STORAGES}
    storages["default"] = {
        **storages["default"],
        "OPTIONS": {**storages["default"]["OPTIONS"], "location": tmp_path / "private"},
    }
    settings.STORAGES = storages
    return tmp_path / "private"
