"""Issued PDFs in private storage, and no file left behind by a rolled-back transaction.

The file is written inside the issuing transaction (a crash after commit must not leave a
document without its file). If that transaction rolls back, document_issue deletes the
file itself; when the worker is killed first, or issuing runs inside a caller's
transaction (a batch job's item) that rolls back later, the journal of core.files (a
marker under PENDING_ROOT, removed only on commit) lets the maintenance job find and delete
the orphan.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from core.files import journal_commit, journal_discard, journal_purge, journal_save

FILE_ROOT = "documents"
PENDING_ROOT = "documents-pending"


def file_name(*, commune_code: str, kind: str, year: int, number: int, salt: str) -> str:
    return f"{FILE_ROOT}/{year}/{commune_code}/{kind}-{number:05d}-{salt}.pdf"


def file_store(*, name: str, content: bytes, written: list[str]) -> str:
    """Save `content` behind a journal marker that only the commit removes; `written` gains
    the names of the file and its markers (to discard if the transaction fails)."""
    stored, markers = journal_save(root=PENDING_ROOT, name=name, content=content)
    written.extend(markers)
    written.append(stored)
    journal_commit(markers)
    return stored


def files_discard(names: list[str]) -> None:
    journal_discard(names)


def files_purge_orphans(*, older_than: datetime | None = None) -> int:
    """Delete files whose issuing transaction rolled back after they were written."""
    from documents.models import Document

    return journal_purge(
        root=PENDING_ROOT,
        older_than=older_than or timezone.now() - timedelta(hours=1),
        known=lambda name: Document.objects.filter(file=name).exists(),
    )
