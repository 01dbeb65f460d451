"""Issue 10, part 1, in the Excel import: NFC text and legacy encodings in the rows."""

import unicodedata

import pytest
from django.urls import reverse

from backoffice.tests.test_import import person, texts, upload
from cases.models import Case
from jobs.models import BulkJob


@pytest.mark.django_db
def test_a_name_in_a_legacy_encoding_is_reported_with_its_row_and_conversion(
    client, login, officer_a
):
    login(officer_a)
    upload(client, [person(1), person(2, full_name="NguyÔn V¨n An")])
    job = BulkJob.objects.get()
    assert job.total == 1
    (text,) = texts(job)
    assert text.startswith("Dòng 3, cột «Họ và tên»: «NguyÔn V¨n An» có vẻ được dán")
    assert "TCVN3 (ABC)" in text and "«Nguyễn Văn An»" in text


@pytest.mark.django_db
def test_a_village_typed_decomposed_in_a_sheet_is_stored_composed(client, login, officer_a):
    login(officer_a)
    upload(client, [person(1, village=unicodedata.normalize("NFD", "Thôn Đồng Quỹ"))])
    job = BulkJob.objects.get()
    client.post(reverse("backoffice:job_confirm", args=[job.pk]))
    assert Case.objects.get().village == "Thôn Đồng Quỹ"
