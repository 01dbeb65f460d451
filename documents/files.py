"""Issued PDFs in private storage, and no file left behind by a rolled-back transaction.

The file is written inside the issuing transaction (a crash after commit must not leave a
document without its file). If that transaction rolls back, document_issue deletes the
file itself; but when issuing runs inside a caller's transaction (a batch job's item), the
caller may roll back later. Then a marker under PENDING_ROOT, removed only on commit, lets
the maintenance job find and delete the orphan.
"""

import logging
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from core.files import listdir

logger = logging.getLogger(__name__)

FILE_ROOT = "documents"
PENDING_ROOT = "documents-pending"


def file_name(*, commune_code: str, kind: str, year: int, number: int, salt: str) -> str:
    return f"{FILE_ROOT}/{year}/{commune_code}/{kind}-{number:05d}-{salt}.pdf"


def _marker(name: str) -> str:
    return f"{PENDING_ROOT}/{name.replace('/', '__')}"


def file_store(*, name: str, content: bytes, written: list[str], journal: bool) -> str:
    """Save `content`; with `journal`, also a marker that only a commit removes."""
    if journal:
        marker = default_storage.save(_marker(name), ContentFile(b""))
        written.append(marker)
        transaction.on_commit(lambda: default_storage.delete(marker))
    stored = default_storage.save(name, ContentFile(content))
    written.append(stored)
    return stored


def files_discard(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def files_purge_orphans(*, older_than: datetime | None = None) -> int:
    """Delete files whose issuing transaction rolled back after they were written."""
    from documents.models import Document

    older_than = older_than or timezone.now() - timedelta(hours=1)
    deleted = 0
    for marker in listdir(default_storage, PENDING_ROOT)[1]:
        path = f"{PENDING_ROOT}/{marker}"
        if default_storage.get_modified_time(path) >= older_than:
            continue  # its transaction may still be open
        name = marker.replace("__", "/")
        if not Document.objects.filter(file=name).exists():
            default_storage.delete(name)
            deleted += 1
            logger.info("Deleted %s: its issuing transaction rolled back", name)
        default_storage.delete(path)
    return deleted
