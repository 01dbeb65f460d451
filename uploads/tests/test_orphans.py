"""No photo file outlives a request that was killed or rolled back before its row
committed, beyond the first maintenance run after ORPHAN_AFTER (core.files' journal)."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from uploads.models import Upload
from uploads.services import upload_create, uploads_purge_orphans
from uploads.tests import factories as f

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)

# A web worker that dies (SIGKILL, out of memory) after the photo is written, before its row.
KILLED_WORKER = """
import os, django
django.setup()
from uploads.models import Upload
from uploads.services import upload_create
from uploads.tests import factories as f
Upload.save = lambda *args, **kwargs: os._exit(9)
upload_create(file=f.uploaded(f.phone_jpeg(seed=7), name="x.jpg"), kind="test_photo")
"""


def photos(location: Path) -> list[str]:
    return sorted(str(p.relative_to(location)) for p in location.rglob("*") if p.is_file())


def after_the_wait():
    return timezone.now() + timedelta(seconds=1)


def test_a_photo_whose_row_never_committed_is_deleted_by_the_next_maintenance_run(
    private_storage, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kept = upload_create(file=f.uploaded(f.phone_jpeg(seed=1)), kind="test_photo")
    # The form's transaction (the photo and the session naming it) rolls back after the photo.
    with transaction.atomic():
        lost = upload_create(file=f.uploaded(f.phone_jpeg(seed=2)), kind="test_photo")
        transaction.set_rollback(True)
    assert os.path.exists(lost.file.path) and not Upload.objects.filter(pk=lost.pk).exists()

    # A request may still be open while its marker is young: nothing is deleted yet.
    assert uploads_purge_orphans() == 0
    assert os.path.exists(lost.file.path)
    assert uploads_purge_orphans(older_than=after_the_wait()) == 1
    assert photos(private_storage) == [kept.file.name]
    assert uploads_purge_orphans(older_than=after_the_wait()) == 0


def test_a_photo_written_by_a_killed_worker_is_deleted_too(private_storage):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "PRIVATE_STORAGE_ROOT": str(private_storage),
    }
    died = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", KILLED_WORKER], cwd=ROOT, env=env, capture_output=True, check=False
    )
    assert died.returncode == 9, died.stderr.decode()
    left = [name for name in photos(private_storage) if name.startswith("uploads/")]
    assert len(left) == 1 and not Upload.objects.exists()

    assert uploads_purge_orphans(older_than=after_the_wait()) == 1
    assert photos(private_storage) == []
