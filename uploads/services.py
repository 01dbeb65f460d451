"""Upload writes: create a clean stored photo, attach it to a case, purge the unclaimed."""

import logging
import os
import re
import unicodedata
from datetime import datetime, timedelta
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import journal_commit, journal_discard, journal_purge, journal_save
from uploads.images import UploadRejected, phash_distance, process_image
from uploads.models import Upload, stored_name

__all__ = [
    "UploadRejected",
    "phash_distance",
    "upload_attach",
    "upload_create",
    "upload_delete",
    "uploads_purge_orphans",
    "uploads_purge_unattached",
]

logger = logging.getLogger(__name__)

ORIGINAL_NAME_MAX = 150
_PURGE_BATCH = 500
# Journal markers of photos being written (core.files); a marker older than ORPHAN_AFTER
# belongs to a request that died or rolled back: no request lasts that long.
PENDING_ROOT = "uploads-pending"
ORPHAN_AFTER = timedelta(minutes=15)


def display_name(name: str | None) -> str:
    """The citizen's file name made safe to show: no path, no control or bidi characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"\s+", " ", name).strip()
    # Format characters (U+202E and friends) can make "gpj.exe" read as "exe.jpg".
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    if len(name) > ORIGINAL_NAME_MAX:
        stem, ext = os.path.splitext(name)
        ext = ext[:10]
        name = stem[: ORIGINAL_NAME_MAX - len(ext) - 1] + "…" + ext
    return name


def upload_create(*, file: IO[bytes], kind: str) -> Upload:
    """Check, clean and store an uploaded photo; raise UploadRejected saying why not."""
    if kind not in Upload.Kind.values:
        raise ValueError(f"Unknown upload kind {kind!r}")
    # The slow part (decoding, re-encoding) runs before any database write lock is taken.
    image = process_image(file)
    upload = Upload(
        kind=kind,
        size=len(image.content),
        width=image.width,
        height=image.height,
        sha256=image.sha256,
        phash=image.phash,
        original_name=display_name(getattr(file, "name", "")),
    )
    # Journaled (core.files): a worker killed before the row commits leaves a marker, and
    # uploads_purge_orphans deletes the file at the next maintenance run after the wait.
    upload.file.name, markers = journal_save(
        root=PENDING_ROOT, name=stored_name(upload, "photo.jpg"), content=image.content
    )
    try:
        # No savepoint inside a caller's transaction (a form saved with its session): a
        # failure here fails the caller's transaction as a whole, as it should.
        with transaction.atomic(savepoint=False):
            # The token is 32 random bytes under a unique index: no query to look for a twin.
            upload.full_clean(validate_unique=False)
            upload.save()
            # Inside a caller's transaction (a form saved with its session), its commit.
            journal_commit(markers)
    except BaseException:
        journal_discard([upload.file.name, *markers])
        raise
    return upload


def upload_attach(*, upload: Upload) -> Upload:
    """Mark an upload as claimed by a case, so that the purge keeps it."""
    now = timezone.now()
    claimed = Upload.objects.filter(pk=upload.pk, attached_at__isnull=True).update(attached_at=now)
    if not claimed:
        # Either another case holds it or the purge removed it: both are bugs upstream.
        raise ValidationError(
            _("Ảnh đã tải lên không còn dùng được. Vui lòng tải ảnh lên lại."), code="not_staged"
        )
    upload.attached_at = now
    return upload


def upload_delete(*, upload: Upload) -> None:
    """Delete an upload and its file (for instance when its case reaches its retention limit)."""
    name = upload.file.name
    upload.delete()
    transaction.on_commit(lambda: default_storage.delete(name))


def uploads_purge_unattached(*, older_than: datetime) -> int:
    """Delete uploads created before `older_than` that no case claimed, with their files.

    Returns the number of uploads deleted. (Files without a row are uploads_purge_orphans'.)
    """
    deleted = 0
    while True:
        with transaction.atomic():
            batch = list(
                Upload.objects.select_for_update()
                .filter(attached_at__isnull=True, created_at__lt=older_than)
                .values_list("pk", "file")[:_PURGE_BATCH]
            )
            if not batch:
                break
            gone = _delete_rows(batch)
        for name in gone:
            default_storage.delete(name)
        deleted += len(gone)
    return deleted


def uploads_purge_orphans(*, older_than: datetime | None = None) -> int:
    """Delete photo files written by a request that was killed or rolled back before their
    row committed (journaled by upload_create); returns how many were deleted."""
    return journal_purge(
        root=PENDING_ROOT,
        older_than=older_than or timezone.now() - ORPHAN_AFTER,
        known=lambda name: Upload.objects.filter(file=name).exists(),
    )


def _delete_rows(batch: list[tuple[int, str]]) -> list[str]:
    """Delete the rows of `batch`; return the file names of those that could be deleted."""
    try:
        with transaction.atomic():
            Upload.objects.filter(pk__in=[pk for pk, _name in batch]).delete()
        return [name for _pk, name in batch]
    except ProtectedError:
        pass
    gone = []
    for pk, name in batch:
        try:
            with transaction.atomic():
                Upload.objects.filter(pk=pk).delete()
            gone.append(name)
        except ProtectedError:
            # Referenced by a case that never claimed it: it is in use, so keep it for good.
            logger.warning("Upload %s is used by a case but was never attached; keeping it", pk)
            Upload.objects.filter(pk=pk).update(attached_at=timezone.now())
    return gone
