"""Issue 14 item 6: what a batch issued comes down as one file to print."""

import io
import zipfile

import pypdf
import pytest
from django.urls import reverse

from audit.models import AuditEntry
from documents.models import Document
from documents.services import document_revoke
from documents.tests.conftest import accept, decision_of
from documents.tests.pdf import pdf_text
from jobs.models import BulkJob

pytestmark = pytest.mark.django_db

NAMES = ["Phạm Thị Ngọc Ánh", "Vũ Đức Thắng", "Ngô Thị Yến"]


@pytest.fixture
def batch(commune_a, officer_a, leader_a, login, client, django_capture_on_commit_callbacks):
    """Three decisions issued in one batch by the leader, who is signed in."""
    cases = [accept(commune_a, officer_a, full_name=name) for name in NAMES]
    login(leader_a)
    client.post(reverse("documents:batch_create"), {"all_pending": "1"})
    job = BulkJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents:batch_confirm", args=[job.pk]), {"confirm": "1"})
    job.refresh_from_db()
    assert job.done == 3
    return job, cases


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_batch_page_offers_one_file_to_print(batch, client):
    job, _cases = batch
    page = client.get(reverse("documents:batch", args=[job.pk])).content.decode()
    assert reverse("documents:batch_download", args=[job.pk, "pdf"]) in page
    assert "Tải một tệp PDF để in" in page


def test_the_merged_pdf_holds_every_issued_decision_in_order(batch, client, leader_a):
    job, cases = batch
    response = client.get(reverse("documents:batch_download", args=[job.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = content(response)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    text = pdf_text(pdf)
    positions = [text.index(f"Họ và tên: {name};") for name in NAMES]
    assert positions == sorted(positions)
    for case in cases:
        number = decision_of(case).number_label
        assert f"Số: {number}" in text
    # Each decision starts on a page of its own.
    assert sum(page.count("QUYẾT ĐỊNH:") for page in pages) == 3
    assert AuditEntry.objects.filter(action="document.batch_download", actor=leader_a).count() == 3


def test_the_zip_holds_the_signed_pdfs_as_issued(batch, client):
    job, cases = batch
    response = client.get(reverse("documents:batch_download", args=[job.pk, "zip"]))
    archive = zipfile.ZipFile(io.BytesIO(content(response)))
    assert len(archive.namelist()) == 3
    for case in cases:
        document = decision_of(case)
        name = f"quyet-dinh-{document.number:02d}-{document.year}-{case.tracking_code}.pdf"
        with document.file.open("rb") as signed:
            assert archive.read(name) == signed.read()


def test_a_document_revoked_since_is_left_out(batch, client, leader_a):
    job, cases = batch
    revoked = decision_of(cases[1])
    document_revoke(document=revoked, by=leader_a, reason="Sai tên", prepare_replacement=False)
    response = client.get(reverse("documents:batch_download", args=[job.pk, "pdf"]))
    text = pdf_text(content(response))
    assert "Vũ Đức Thắng" not in text and "Ngô Thị Yến" in text


def test_another_commune_cannot_download_the_batch(batch, client, login, leader_b):
    job, _cases = batch
    login(leader_b)
    assert client.get(reverse("documents:batch_download", args=[job.pk, "pdf"])).status_code == 404
    assert Document.objects.issued().count() == 3
