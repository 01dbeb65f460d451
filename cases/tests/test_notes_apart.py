"""Internal notes and messages to the citizen are kept apart (issue 14 item 7): what an
official writes for colleagues never reaches the citizen's status page, the API's status
or a notification; what is written for the citizen does, and the form says which is which."""

import pytest
from django.urls import reverse

from cases.choices import Outcome, Status
from cases.services import case_close, case_reject, case_transfer
from cases.testing import make_case
from notifications.models import Notification

NOTE = "Người nhà khó tính, gọi trước 8 giờ"


def status_page(client, case) -> str:
    client.post(
        reverse("public:status"), {"tracking_code": case.tracking_code, "secret": case.id_number}
    )
    return client.get(reverse("public:status_case", args=[case.tracking_code])).content.decode()


@pytest.mark.django_db
def test_an_accept_note_for_colleagues_is_not_shown_to_the_citizen(
    client, login, commune_a, officer_a
):
    case = make_case(commune_a)
    login(officer_a).post(reverse("backoffice:case_accept", args=[case.pk]), {"note": NOTE})
    assert case.events.get(kind="accepted").reason == NOTE
    # The colleagues read it on the case page, marked as internal.
    staff = client.get(reverse("backoffice:case", args=[case.pk])).content.decode()
    assert NOTE in staff and "Ghi chú nội bộ:" in staff
    client.logout()
    page = status_page(client, case)
    assert "Xã tiếp nhận, bắt đầu cách ly" in page
    assert NOTE not in page
    body = {"tracking_code": case.tracking_code, "id_number": case.id_number}
    api = client.post("/api/v1/status", body, content_type="application/json").json()
    assert NOTE not in str(api["timeline"])


@pytest.mark.django_db
def test_transfer_and_close_notes_stay_internal_the_outcome_reaches_the_citizen(
    client, commune_a, commune_b, officer_a, officer_b
):
    moved = make_case(commune_a)
    case_transfer(case=moved, by=officer_a, to_commune=commune_b, note=NOTE)
    assert NOTE not in status_page(client, moved)
    closed = make_case(commune_a, status=Status.ACCEPTED, by=officer_a)
    case_close(case=closed, by=officer_a, outcome=Outcome.HOSPITALISED, note=NOTE)
    page = status_page(client, closed)
    assert NOTE not in page and "Chuyển viện" in page


@pytest.mark.django_db
def test_a_rejection_explanation_is_the_citizens_message(client, commune_a, officer_a):
    case = make_case(commune_a, email="hoa@example.vn")
    case_reject(
        case=case, by=officer_a, reason="other", note="Vui lòng khai báo lại tại xã Kim Phú"
    )
    page = status_page(client, case)
    assert "Vui lòng khai báo lại tại xã Kim Phú" in page
    sent = " ".join(n.body for n in Notification.objects.filter(kind="declaration_rejected"))
    assert "Vui lòng khai báo lại tại xã Kim Phú" in sent


@pytest.mark.django_db
def test_each_note_field_says_who_reads_it(login, commune_a, officer_a):
    case = make_case(commune_a)
    page = login(officer_a).get(reverse("backoffice:case", args=[case.pk])).content.decode()
    assert "Ghi chú nội bộ (không bắt buộc)" in page
    assert "chỉ cán bộ đọc, người dân không thấy" in page
    assert "Người dân đọc được lý do và giải thích này" in page
    accepted = make_case(commune_a, status=Status.ACCEPTED, by=officer_a)
    page = login(officer_a).get(reverse("backoffice:case", args=[accepted.pk])).content.decode()
    assert "Chỉ cán bộ hai xã đọc, người dân không thấy" in page
    inbox = login(officer_a).get(reverse("backoffice:inbox")).content.decode()
    assert "Khi tiếp nhận: ghi chú nội bộ, chỉ cán bộ đọc" in inbox
