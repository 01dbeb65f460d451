"""FILE_STORAGE=s3: photos and signed documents in a private S3 bucket (moto stands in for
the object store), served through the same scope checks, cleaned up by the same jobs."""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.services import case_accept, case_declare
from cases.testing import declaration_values, photo_file
from config.testing import S3_TEST_BUCKET
from documents.files import file_store, files_purge_orphans
from documents.services import document_issue
from documents.tests.conftest import decision_of
from uploads.models import Upload
from uploads.services import (
    upload_attach,
    upload_create,
    uploads_purge_orphans,
    uploads_purge_unattached,
)

pytestmark = pytest.mark.django_db

BUCKET = S3_TEST_BUCKET


def keys(s3) -> list[str]:
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def test_photos_and_signed_decisions_live_in_the_bucket_and_are_served_in_scope_only(
    s3_bucket, private_storage, commune_a, officer_a, leader_a, officer_b, login, client
):
    photo = upload_create(file=photo_file(), kind=Upload.Kind.TEST_PHOTO)
    case = case_declare(commune=commune_a, values=declaration_values(), test_photo=photo).case
    case_accept(case=case, by=officer_a)
    document = document_issue(document=decision_of(case), by=leader_a)

    stored = keys(s3_bucket)
    assert f"tuyenquang/{photo.file.name}" in stored
    assert f"tuyenquang/{document.file.name}" in stored
    assert document.file.name.startswith("documents/") and document.file.name.endswith(".pdf")
    # Nothing went to the local folder, and the objects are encrypted at rest.
    assert not (private_storage / "uploads").exists()
    assert not (private_storage / "documents").exists()
    head = s3_bucket.head_object(Bucket=BUCKET, Key=f"tuyenquang/{document.file.name}")
    assert head["ServerSideEncryption"] == "AES256"

    login(leader_a)
    pdf = streamed(client.get(reverse("documents:download", args=[document.pk])))
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == document.sha256
    photo_url = reverse("backoffice:case_photo", args=[case.pk, photo.pk])
    served = client.get(photo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    with photo.file.open("rb") as original:
        assert streamed(served) == original.read()

    login(officer_b)
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404
    assert client.get(photo_url).status_code == 404


def test_the_cleanup_jobs_find_their_files_in_the_bucket(
    s3_bucket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        unclaimed = upload_create(file=photo_file(color=(10, 20, 30)), kind=Upload.Kind.TEST_PHOTO)
        claimed = upload_attach(upload=upload_create(file=photo_file(), kind=Upload.Kind.ID_PHOTO))
    # A photo and a decision whose transactions never committed: files and journal markers stay.
    with transaction.atomic():
        stray = upload_create(file=photo_file(color=(90, 20, 30)), kind=Upload.Kind.TEST_PHOTO)
        orphan = file_store(name="documents/2022/02209/x.pdf", content=b"%PDF", written=[])
        transaction.set_rollback(True)
    assert len(keys(s3_bucket)) == 6

    later = timezone.now() + timedelta(minutes=1)
    assert uploads_purge_unattached(older_than=later) == 1
    assert uploads_purge_orphans(older_than=later) == 1
    assert files_purge_orphans(older_than=later) == 1

    assert keys(s3_bucket) == [f"tuyenquang/{claimed.file.name}"]
    assert not Upload.objects.filter(pk=unclaimed.pk).exists()
    assert not default_storage.exists(stray.file.name) and not default_storage.exists(orphan)
