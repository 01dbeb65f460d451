import hashlib
import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from uploads.models import Upload
from uploads.services import (
    UploadRejected,
    display_name,
    upload_attach,
    upload_create,
    uploads_purge_unattached,
)
from uploads.tests import factories as f

pytestmark = pytest.mark.django_db


def make_upload(seed=1, kind=Upload.Kind.TEST_PHOTO, name="IMG_2022.jpg") -> Upload:
    return upload_create(file=f.uploaded(f.phone_jpeg(seed=seed), name=name), kind=kind)


def test_upload_is_stored_privately_under_a_random_name(private_storage):
    upload = make_upload(name="que-test-Nguyen-Van-A.jpg")
    path = upload.file.path
    assert os.path.isfile(path)
    assert path.startswith(str(private_storage))
    assert not path.startswith(str(settings.STATIC_ROOT))
    assert oct(os.stat(path).st_mode & 0o777) == oct(0o600)
    stored_name = os.path.basename(upload.file.name)
    assert "Nguyen" not in stored_name and upload.token not in stored_name
    assert len(stored_name) >= 32 and stored_name.endswith(".jpg")
    assert len(upload.token) >= 32
    assert make_upload().token != upload.token


def test_upload_records_what_duplicate_checks_and_display_need():
    upload = make_upload(name="IMG_2022.jpg")
    with upload.file.open("rb") as stored:
        content = stored.read()
    assert upload.sha256 == hashlib.sha256(content).hexdigest()
    assert upload.size == len(content)
    assert (upload.width, upload.height) == Image.open(upload.file.path).size == (640, 480)
    assert upload.content_type == "image/jpeg"
    assert upload.original_name == "IMG_2022.jpg"
    assert upload.attached_at is None
    assert len(upload.phash_hex) == 16

    make_upload(name="khac.jpg")
    assert Upload.objects.filter(sha256=upload.sha256).count() == 2
    assert Upload.objects.filter(phash=upload.phash).count() == 2


def test_stored_file_has_no_exif_gps():
    upload = make_upload()
    stored = Image.open(upload.file.path)
    assert not stored.getexif()
    assert "exif" not in stored.info


def test_rejected_file_leaves_no_row_and_no_file(private_storage):
    with pytest.raises(UploadRejected) as caught:
        upload_create(file=f.uploaded(b"%PDF-1.4 fake"), kind=Upload.Kind.TEST_PHOTO)
    assert isinstance(caught.value, ValidationError)
    assert Upload.objects.count() == 0
    assert not private_storage.exists() or not any(private_storage.rglob("*.jpg"))


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("C:\\Users\\An\\Pictures\\ảnh test.jpg", "ảnh test.jpg"),
        ("../../etc/passwd", "passwd"),
        ("anh\u202egpj.exe", "anhgpj.exe"),
        ("  a\t\nb .png ", "a b .png"),
        ("<b onmouseover=alert(1)>.jpg", "<b onmouseover=alert(1)>.jpg"),  # escaped when shown
        (None, ""),
    ],
)
def test_original_name_is_kept_only_in_a_displayable_form(name, shown):
    assert display_name(name) == shown


def test_very_long_original_name_is_shortened_keeping_the_extension():
    shown = display_name("a" * 300 + ".jpeg")
    assert len(shown) == 150 and shown.endswith("….jpeg")


def test_attach_marks_the_upload_once():
    upload = make_upload()
    upload_attach(upload=upload)
    upload.refresh_from_db()
    assert upload.attached_at is not None
    with pytest.raises(ValidationError):
        upload_attach(upload=upload)


def test_purge_removes_old_unclaimed_uploads_and_their_files(private_storage):
    old_orphan = make_upload(seed=1)
    old_claimed = upload_attach(upload=make_upload(seed=2))
    recent_orphan = make_upload(seed=3)
    long_ago = timezone.now() - timedelta(days=2)
    Upload.objects.filter(pk__in=[old_orphan.pk, old_claimed.pk]).update(created_at=long_ago)

    purged = uploads_purge_unattached(older_than=timezone.now() - timedelta(days=1))

    assert purged == 1
    assert not Upload.objects.filter(pk=old_orphan.pk).exists()
    assert not os.path.exists(old_orphan.file.path)
    for kept in (old_claimed, recent_orphan):
        assert Upload.objects.filter(pk=kept.pk).exists()
        assert os.path.exists(kept.file.path)


def test_purged_upload_can_no_longer_be_attached():
    upload = make_upload()
    uploads_purge_unattached(older_than=timezone.now() + timedelta(seconds=1))
    with pytest.raises(ValidationError):
        upload_attach(upload=upload)


def test_purge_with_nothing_to_do():
    assert uploads_purge_unattached(older_than=timezone.now()) == 0
