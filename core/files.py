"""Storage helpers that behave the same on a folder and on S3-compatible object storage,
and the journal that keeps a file from outliving the transaction meant to record it.

The journal (the one rule for every app that writes a file and then its row): before the
file is written, a marker naming it is saved under the app's pending folder; the marker is
deleted only when the transaction that writes the row commits. A worker killed in between,
or a transaction rolled back by a caller, leaves the marker behind, and the app's
maintenance job (`journal_purge`) deletes every file whose marker is older than any open
transaction and that no row names.
"""

import logging
from collections.abc import Callable
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import transaction

logger = logging.getLogger(__name__)


def listdir(storage: Storage, path: str) -> tuple[list[str], list[str]]:
    """Sub-folders and files directly under `path`, or none when there is no such folder.

    Object storage has no folders: `exists("uploads")` is false there even with files under
    it, so listing is the one question both kinds of storage answer alike.
    """
    try:
        return storage.listdir(path)
    except FileNotFoundError:
        return [], []


def _marker_name(root: str, name: str) -> str:
    return f"{root}/{name.replace('/', '~')}"


def journal_save(*, root: str, name: str, content: bytes) -> tuple[str, list[str]]:
    """Save `content` at `name` (or the free name the storage picks) behind a marker under
    `root`. Returns (stored name, markers); call `journal_commit(markers)` inside the
    transaction that writes the row naming the file, `journal_discard` if it fails."""
    # The marker holds the file's name, and is written first: it must exist before the file.
    markers = [default_storage.save(_marker_name(root, name), ContentFile(name.encode()))]
    try:
        stored = default_storage.save(name, ContentFile(content))
    except BaseException:
        journal_discard(markers)
        raise
    if stored != name:  # the storage picked another name: journal that one too
        markers.append(default_storage.save(_marker_name(root, stored), ContentFile(stored)))
    return stored, markers


def journal_commit(markers: list[str]) -> None:
    """Drop the markers once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: journal_discard(markers))


def journal_discard(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def journal_purge(*, root: str, older_than: datetime, known: Callable[[str], bool]) -> int:
    """Delete the files journaled under `root` before `older_than` that `known(name)` says
    no row names, and their markers; return how many files were deleted.

    `older_than` must be older than any transaction still open, whose marker is young."""
    deleted = 0
    for marker in listdir(default_storage, root)[1]:
        path = f"{root}/{marker}"
        if default_storage.get_modified_time(path) >= older_than:
            continue  # its transaction may still be open
        with default_storage.open(path, "rb") as f:
            # Markers written before the name was kept inside them encoded it with "__".
            name = f.read().decode() or marker.replace("__", "/")
        if not known(name):
            default_storage.delete(name)
            deleted += 1
            logger.info("Deleted %s: the transaction that was to record it never committed", name)
        default_storage.delete(path)
    return deleted
