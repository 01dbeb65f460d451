from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from backoffice.tests.conftest import make_case_with_photo
from cases.choices import EventKind, Status
from cases.models import Case, CaseEvent
from cases.services import case_accept, case_request_recovery
from cases.testing import make_case

ACTIONS = {
    "case_accept": {"note": ""},
    "case_reject": {"reason": "not_resident", "note": ""},
    "case_transfer": {"to_commune": "", "note": "Ở nhà con gái"},
    "case_close": {"outcome": "hospitalised", "note": ""},
    "case_confirm_recovery": {"note": ""},
    "case_refuse_recovery": {"reason": "Ảnh mờ"},
    "case_correct": {"reason": "x"},
}


def case_url(name, case, *args):
    return reverse(f"backoffice:{name}", args=[case.pk, *args])


@pytest.fixture
def case(commune_a):
    return make_case_with_photo(commune_a, full_name="Nguyễn Thị Hoa", id_number="008190001256")


@pytest.mark.django_db
@pytest.mark.parametrize("outsider", ["officer_b", "district_other", "officer_a2"])
def test_outsiders_get_404_on_the_case_its_photos_and_its_actions(
    request, client, login, case, outsider
):
    login(request.getfixturevalue(outsider))
    assert client.get(case_url("case", case)).status_code == 404
    assert client.get(case_url("case_photo", case, case.test_photo_id)).status_code == 404
    assert client.get(case_url("case_correct", case)).status_code == 404
    for name, data in ACTIONS.items():
        assert client.post(case_url(name, case), data).status_code == 404, name
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED
    assert not AuditEntry.objects.filter(action__startswith="case.").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["district_staff", "province_health"])
def test_district_and_province_read_but_cannot_act(request, client, login, case, reader):
    login(request.getfixturevalue(reader))
    response = client.get(case_url("case", case))
    html = response.content.decode()
    assert response.status_code == 200
    assert "008190001256" in html
    assert case_url("case_accept", case) not in html
    assert "Chỉ xem" in html
    assert client.get(case_url("case_photo", case, case.test_photo_id)).status_code == 200
    for name, data in ACTIONS.items():
        assert client.post(case_url(name, case), data).status_code == 403, name
    assert client.get(case_url("case_correct", case)).status_code == 403
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


@pytest.mark.django_db
def test_opening_the_case_and_a_photo_is_audited(client, login, officer_a, case):
    login(officer_a)
    html = client.get(case_url("case", case)).content.decode()
    assert "008190001256" in html  # full data on the case's own page
    view = AuditEntry.objects.get(action="case.view")
    assert (view.actor, view.object_id, view.unit_id) == (officer_a, str(case.pk), case.commune_id)
    response = client.get(case_url("case_photo", case, case.test_photo_id))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    photo = AuditEntry.objects.get(action="case.photo_view")
    assert photo.detail["upload"] == case.test_photo_id


@pytest.mark.django_db
def test_a_photo_of_another_case_is_not_served_through_this_case(
    client, login, officer_a, case, commune_a
):
    other = make_case_with_photo(commune_a, color=(10, 200, 10))
    login(officer_a)
    assert client.get(case_url("case_photo", case, other.test_photo_id)).status_code == 404


@pytest.mark.django_db
def test_accept_shows_a_message_writes_the_event_and_the_audit(client, login, officer_a, case):
    login(officer_a)
    response = client.post(case_url("case_accept", case), {"note": "Đã gọi điện"}, follow=True)
    assert "Đã tiếp nhận hồ sơ" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    assert case.events.filter(kind=EventKind.ACCEPTED, actor=officer_a).exists()
    assert AuditEntry.objects.filter(action="case.accept", object_id=str(case.pk)).exists()


@pytest.mark.django_db
def test_reject_other_reason_needs_an_explanation_shown_next_to_the_field(
    client, login, officer_a, case
):
    login(officer_a)
    response = client.post(case_url("case_reject", case), {"reason": "other", "note": " "})
    html = response.content.decode()
    assert 'id="id_note-error"' in html or "usa-error-message" in html
    assert "Vui lòng ghi rõ lý do khác." in html
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED
    response = client.post(
        case_url("case_reject", case),
        {"reason": "unreadable_photo", "note": "Chụp lại que test rõ tên"},
        follow=True,
    )
    case.refresh_from_db()
    assert case.status == Status.REJECTED
    assert case.rejection_note == "Chụp lại que test rõ tên"
    event = case.events.get(kind=EventKind.REJECTED)
    assert event.public and "không rõ" in event.message
    assert AuditEntry.objects.filter(action="case.reject").exists()


@pytest.mark.django_db
def test_leader_can_act_too(client, login, leader_a, case):
    login(leader_a)
    client.post(case_url("case_accept", case), {"note": ""})
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


@pytest.mark.django_db
def test_transfer_moves_the_case_and_both_communes_keep_the_trace(
    client, login, officer_a, officer_a2, case, commune_a2
):
    login(officer_a)
    page = client.get(case_url("case", case)).content.decode()
    assert "Huyện Sơn Dương" in page  # communes grouped by district
    response = client.post(
        case_url("case_transfer", case),
        {"to_commune": commune_a2.pk, "note": "Đang ở nhà con gái tại phường Phan Thiết"},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("backoffice:transferred")
    assert case.tracking_code in html and "Phường Phan Thiết" in html
    assert "Đang ở nhà con gái" in html
    assert "008190001256" not in html and "Nguyễn Thị Hoa" not in html
    assert client.get(case_url("case", case)).status_code == 404
    assert AuditEntry.objects.filter(action="case.transfer", unit=case.commune).exists()

    login(officer_a2)
    html = client.get(case_url("case", case)).content.decode()
    assert "Chuyển sang xã khác" in html and "Xã Tràng Đà" in html


@pytest.mark.django_db
def test_transfer_needs_a_commune_and_a_note(client, login, officer_a, case):
    login(officer_a)
    html = client.post(
        case_url("case_transfer", case), {"to_commune": "", "note": ""}
    ).content.decode()
    assert "Vui lòng chọn xã nhận hồ sơ." in html
    assert "Vui lòng ghi lý do chuyển." in html
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["hospitalised", "died", "moved_away"])
def test_other_outcomes_close_the_case(client, login, officer_a, case, outcome):
    login(officer_a)
    client.post(case_url("case_close", case), {"outcome": outcome, "note": "BVĐK tỉnh"})
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Status.CLOSED, outcome)
    assert AuditEntry.objects.filter(action="case.close", detail__outcome=outcome).exists()


@pytest.fixture
def recovery_case(commune_a, officer_a):
    case = make_case(commune_a, positive_test_date=timezone.localdate() - timedelta(days=8))
    case_accept(case=case, by=officer_a)
    case_request_recovery(
        case=case,
        negative_test_date=timezone.localdate(),
        test_type="rapid_facility",
        tested_by="health_worker",
    )
    return case


@pytest.mark.django_db
def test_recovery_declaration_shown_then_confirmed(client, login, officer_a, recovery_case):
    login(officer_a)
    html = client.get(case_url("case", recovery_case)).content.decode()
    assert "Khai báo khỏi bệnh" in html and "Xác nhận khỏi bệnh" in html
    client.post(case_url("case_confirm_recovery", recovery_case), {"note": ""})
    recovery_case.refresh_from_db()
    assert recovery_case.status == Status.RECOVERED
    assert AuditEntry.objects.filter(action="case.confirm_recovery").exists()


@pytest.mark.django_db
def test_refusing_recovery_needs_a_reason_the_citizen_reads(
    client, login, officer_a, recovery_case
):
    login(officer_a)
    html = client.post(
        case_url("case_refuse_recovery", recovery_case), {"reason": ""}
    ).content.decode()
    assert "Vui lòng ghi lý do để người dân biết cần làm gì." in html
    client.post(case_url("case_refuse_recovery", recovery_case), {"reason": "Ảnh mờ, test lại"})
    recovery_case.refresh_from_db()
    assert recovery_case.status == Status.ACCEPTED
    assert recovery_case.recovery_declarations.get().refusal_reason == "Ảnh mờ, test lại"


@pytest.mark.django_db
def test_correction_records_old_and_new_values(client, login, officer_a, case):
    login(officer_a)
    form = client.get(case_url("case_correct", case)).content.decode()
    assert 'value="Nguyễn Thị Hoa"' in form
    data = {
        name: value
        for name, value in {
            "full_name": "Nguyễn Thị Hòa",
            "date_of_birth": case.date_of_birth.isoformat(),
            "sex": case.sex,
            "id_type": case.id_type,
            "id_number": case.id_number,
            "phone": case.phone,
            "village": "Thôn Cầu Bâm",
            "test_type": case.test_type,
            "positive_test_date": case.positive_test_date.isoformat(),
            "vaccine_doses": case.vaccine_doses,
            "symptoms": case.symptoms,
            "household_size": case.household_size,
            "reason": "Người bệnh gọi báo sai dấu tên",
        }.items()
    }
    response = client.post(case_url("case_correct", case), data, follow=True)
    assert "Đã sửa thông tin hồ sơ" in response.content.decode()
    event = CaseEvent.objects.get(case=case, kind=EventKind.CORRECTED)
    assert event.data["changes"] == {
        "full_name": {"old": "Nguyễn Thị Hoa", "new": "Nguyễn Thị Hòa"}
    }
    html = client.get(case_url("case", case)).content.decode()
    assert "Nguyễn Thị Hoa → Nguyễn Thị Hòa" in html
    assert AuditEntry.objects.filter(action="case.correct", detail__fields=["full_name"]).exists()


@pytest.mark.django_db
def test_a_corrected_name_without_diacritics_is_confirmed(client, login, officer_a, case):
    """Issue 14 item 21: a name changed to one without any mark is asked about; a name
    left as it was is not asked about again."""
    login(officer_a)
    data = {
        "full_name": "nguyen thi hoa",
        "date_of_birth": case.date_of_birth.isoformat(),
        "sex": case.sex,
        "id_type": case.id_type,
        "id_number": case.id_number,
        "phone": case.phone,
        "village": case.village,
        "test_type": case.test_type,
        "positive_test_date": case.positive_test_date.isoformat(),
        "vaccine_doses": case.vaccine_doses,
        "reason": "Người bệnh yêu cầu",
    }
    asked = client.post(case_url("case_correct", case), data).content.decode()
    assert "«nguyen thi hoa» chưa có dấu" in asked
    data["full_name_confirmed"] = "on"
    client.post(case_url("case_correct", case), data)
    case.refresh_from_db()
    assert case.full_name == "nguyen thi hoa"
    # Correcting something else later does not ask about the name again.
    data.pop("full_name_confirmed")
    data["village"] = "Tổ 7"
    client.post(case_url("case_correct", case), data)
    case.refresh_from_db()
    assert case.village == "Tổ 7"


@pytest.mark.django_db
def test_correction_errors_are_shown_next_to_the_field(client, login, officer_a, case):
    login(officer_a)
    html = client.post(
        case_url("case_correct", case),
        {"full_name": "Nguyễn Thị Hoa", "id_type": "cccd", "id_number": "123", "reason": "x"},
    ).content.decode()
    assert "Số định danh cá nhân gồm đúng 12 chữ số." in html
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.CORRECTED).exists()


@pytest.mark.django_db
def test_linked_declaration_data_is_in_the_timeline(client, login, officer_a, case, commune_a):
    from cases.services import case_declare
    from cases.testing import declaration_values

    case_declare(
        commune=commune_a,
        values=declaration_values(id_number=case.id_number, village="Thôn Mới Chuyển Đến"),
    )
    login(officer_a)
    html = client.get(case_url("case", case)).content.decode()
    assert "Khai báo bổ sung vào hồ sơ đang mở" in html
    assert "Thôn Mới Chuyển Đến" in html


@pytest.mark.django_db
def test_an_illegal_action_says_why(client, login, officer_a, case):
    login(officer_a)
    client.post(case_url("case_accept", case), {"note": ""})
    response = client.post(case_url("case_accept", case), {"note": ""})
    assert "Không thể chuyển hồ sơ" in response.content.decode()


@pytest.mark.django_db
def test_the_phone_on_the_case_page_is_tap_to_call(client, login, officer_a, case):
    login(officer_a)
    page = client.get(case_url("case", case)).content.decode()
    assert f'<a href="tel:{case.phone}">{case.phone}</a>' in page


@pytest.mark.django_db
def test_the_case_page_shows_numbers_as_typed_and_only_the_rows_that_apply(
    client, login, officer_a, commune_a
):
    from decimal import Decimal

    man = make_case(
        commune_a,
        sex="male",
        id_number="008090123456",
        temperature=Decimal("38.2"),
        pregnant=False,
    )
    login(officer_a)
    page = client.get(reverse("backoffice:case", args=[man.pk])).content.decode()
    assert "38,2" in page and "38.2" not in page
    assert "Đang mang thai" not in page
