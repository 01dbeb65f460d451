"""Storage helpers that behave the same on a folder and on S3-compatible object storage."""

from django.core.files.storage import Storage


def listdir(storage: Storage, path: str) -> tuple[list[str], list[str]]:
    """Sub-folders and files directly under `path`, or none when there is no such folder.

    Object storage has no folders: `exists("uploads")` is false there even with files under
    it, so listing is the one question both kinds of storage answer alike.
    """
    try:
        return storage.listdir(path)
    except FileNotFoundError:
        return [], []
