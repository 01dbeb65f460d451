import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from core import maintenance
from uploads.models import Upload
from uploads.services import upload_create


def photo_file() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile("test.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.django_db
def test_maintenance_purges_photos_never_sent(tmp_path, settings, capsys):
    storages = {**settings.STORAGES}
    storages["default"] = {**storages["default"], "OPTIONS": {"location": tmp_path}}
    settings.STORAGES = storages
    old = upload_create(file=photo_file(), kind="test_photo")
    Upload.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    fresh = upload_create(file=photo_file(), kind="test_photo")
    call_command("maintenance")
    assert list(Upload.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert "uploads_purge_unattached: 1" in capsys.readouterr().out


def test_each_app_registers_its_maintenance_jobs():
    """Core registers its own job; the others come from their apps' ready(), in any order."""
    assert {job.name for job in maintenance.jobs()} >= {
        "ratelimit_purge",
        "statistics_refresh",
        "cases_purge_personal_data",
        "notification_purge",
        "phone_code_purge",
        "uploads_purge_unattached",
        "uploads_purge_orphans",
        "documents_orphan_files",
        "summaries_refresh",
        "exports_purge",
    }
