import pytest


@pytest.fixture(autouse=True)
def private_storage(tmp_path, settings):
    """Uploaded photos of each test go to a folder of its own."""
    storages = {**settings.STORAGES}
    storages["default"] = {
        **storages["default"],
        "OPTIONS": {**storages["default"]["OPTIONS"], "location": tmp_path / "private"},
    }
    settings.STORAGES = storages
