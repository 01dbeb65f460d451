import pytest

from notifications.models import Notification  # noqa: F401 - imported for fixtures below


@pytest.fixture(autouse=True)
def private_storage(tmp_path, settings):
    """Uploaded photos of each test go to a folder of its own."""
    storages = {**settings.STORAGES}
    storages["default"] = {
        **storages["default"],
        "OPTIONS": {**storages["default"]["OPTIONS"], "location": tmp_path / "private"},
    }
    settings.STORAGES = storages


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
