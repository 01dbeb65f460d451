"""Nothing is signed in one click (issue 14 item 4): a leader first sees what will be
signed (each person, the number, the period, danger and duplicate flags) and confirms."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.testing import make_user
from documents.models import Document
from documents.tests.conftest import accept, decision_of
from jobs.models import BulkJob

pytestmark = pytest.mark.django_db


def test_the_one_click_issue_button_only_shows_what_will_be_signed(
    accepted_case, login, leader_a, client
):
    document = decision_of(accepted_case)
    login(leader_a)
    back = reverse("backoffice:case", args=[accepted_case.pk])
    # What the case page's "Ban hành" button sent until now: issued at once.
    response = client.post(reverse("documents:issue", args=[document.pk]), {"next": back})
    assert response.status_code == 200
    assert Document.objects.get(pk=document.pk).is_prepared
    page = response.content.decode()
    assert "Xem lại trước khi ký và ban hành" in page
    assert "Nguyễn Thị Hồng Nhung" in page
    assert "01/QĐ-UBND" in page  # the number it will most likely get
    start, end = accepted_case.positive_test_date, accepted_case.isolation_end
    assert f"{start:%d/%m/%Y} – {end:%d/%m/%Y}" in page
    assert reverse("documents:preview", args=[document.pk]) in page
    assert "Ký và ban hành" in page

    response = client.post(
        reverse("documents:issue", args=[document.pk]), {"next": back, "confirm": "1"}
    )
    assert response.status_code == 302 and response["Location"] == back
    assert Document.objects.get(pk=document.pk).number_label == "01/QĐ-UBND"


def test_the_case_page_links_to_the_review_not_a_signing_button(
    accepted_case, login, leader_a, client
):
    login(leader_a)
    page = client.get(reverse("backoffice:case", args=[accepted_case.pk])).content.decode()
    assert "Xem lại và ký ban hành" in page
    review = client.get(reverse("documents:issue", args=[decision_of(accepted_case).pk]))
    assert review.status_code == 200 and "Xem lại trước khi ký" in review.content.decode()


@pytest.fixture
def batch(commune_a, officer_a):
    """Three accepted cases: one with a danger sign, two that may be the same person."""
    born = date(1988, 3, 4)
    return [
        accept(commune_a, officer_a, full_name="Hoàng Văn Nguy", spo2=90),
        accept(commune_a, officer_a, full_name="Lý Thị Trùng", date_of_birth=born),
        accept(commune_a, officer_a, full_name="Lý Thị Trùng", date_of_birth=born),
    ]


def test_issue_all_first_lists_each_person_number_period_and_flags(
    batch, login, leader_a, client, django_capture_on_commit_callbacks
):
    login(leader_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:batch_create"), {"all_pending": "1"})
    job = BulkJob.objects.get()
    assert job.state == "preview"
    assert not Document.objects.exclude(number=None).exists()  # nothing signed yet
    page = client.get(response["Location"]).content.decode()
    assert "Xem lại 3 văn bản trước khi ký" in page
    for number, case in zip(("01/QĐ-UBND", "02/QĐ-UBND", "03/QĐ-UBND"), batch, strict=True):
        assert number in page and case.tracking_code in page
        assert f"{case.positive_test_date:%d/%m/%Y} – {case.isolation_end:%d/%m/%Y}" in page
    assert "Hoàng Văn Nguy" in page and "SpO2 thấp" in page
    assert "Trùng họ tên và ngày sinh" in page
    assert "3 văn bản cần lưu ý" in page
    assert "Ký và ban hành 3 văn bản" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents:batch_confirm", args=[job.pk]), {"confirm": "1"})
    job.refresh_from_db()
    assert (job.state, job.done) == ("done", 3)
    assert [decision_of(case).number for case in batch] == [1, 2, 3]


def test_a_cancelled_batch_signs_nothing_and_cannot_be_confirmed_later(
    batch, login, leader_a, client, django_capture_on_commit_callbacks
):
    login(leader_a)
    client.post(reverse("documents:batch_create"), {"all_pending": "1"})
    job = BulkJob.objects.get()
    response = client.post(reverse("documents:batch_cancel", args=[job.pk]), follow=True)
    assert "Đã hủy, chưa ký văn bản nào." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("documents:batch_confirm", args=[job.pk]), {"confirm": "1"}, follow=True
        )
    assert "đã được xác nhận hoặc đã hủy" in response.content.decode()
    assert not Document.objects.exclude(number=None).exists()
    job.refresh_from_db()
    assert job.state == "cancelled"


def test_another_leader_of_the_commune_cannot_confirm_someone_elses_preview(
    batch, login, leader_a, client
):
    login(leader_a)
    client.post(reverse("documents:batch_create"), {"all_pending": "1"})
    job = BulkJob.objects.get()
    deputy = make_user("pho.chu.tich", Role.COMMUNE_LEADER, "02209")
    login(deputy)
    page = client.get(reverse("documents:batch", args=[job.pk])).content.decode()
    assert "Ký và ban hành" not in page
    response = client.post(reverse("documents:batch_confirm", args=[job.pk]), {"confirm": "1"})
    assert response.status_code == 403
    assert not Document.objects.exclude(number=None).exists()
