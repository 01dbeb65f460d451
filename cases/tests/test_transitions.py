from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.choices import EventKind, Outcome, Status
from cases.models import Case, CaseEvent
from cases.services import (
    IllegalTransition,
    RecoveryTooEarly,
    case_accept,
    case_close,
    case_confirm_recovery,
    case_correct,
    case_reject,
    case_request_recovery,
    case_transfer,
)
from cases.testing import make_case


def snapshot(case):
    case = Case.objects.get(pk=case.pk)
    return (case.status, case.outcome, case.commune_id, case.events.count())


@pytest.mark.django_db
def test_accept_then_reject_is_illegal_and_changes_nothing(commune_a, officer_a):
    case = make_case(commune_a)
    case_accept(case=case, by=officer_a)
    before = snapshot(case)
    with pytest.raises(IllegalTransition) as err:
        case_reject(case=case, by=officer_a, reason="duplicate")
    assert "«Đang cách ly» sang «Từ chối tiếp nhận»" in err.value.messages[0]
    assert snapshot(case) == before


@pytest.mark.django_db
@pytest.mark.parametrize("final", ["rejected", "recovered", "closed"])
def test_ended_cases_accept_no_further_change(commune_a, officer_a, final):
    case = make_case(commune_a, positive_test_date=timezone.localdate() - timedelta(days=20))
    if final == "rejected":
        case_reject(case=case, by=officer_a, reason="not_resident")
    elif final == "recovered":
        case_accept(case=case, by=officer_a)
        case_confirm_recovery(case=case, by=officer_a)
    else:
        case_close(case=case, by=officer_a, outcome=Outcome.HOSPITALISED)
    before = snapshot(case)
    for action in (
        lambda: case_accept(case=case, by=officer_a),
        lambda: case_reject(case=case, by=officer_a, reason="duplicate"),
        lambda: case_close(case=case, by=officer_a, outcome=Outcome.DIED),
    ):
        with pytest.raises(IllegalTransition):
            action()
    assert snapshot(case) == before


@pytest.mark.django_db
def test_only_the_communes_own_officers_act(commune_a, officer_b, district_staff, province_health):
    case = make_case(commune_a)
    for outsider in (officer_b, district_staff, province_health):
        with pytest.raises(PermissionDenied):
            case_accept(case=case, by=outsider)
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


@pytest.mark.django_db
def test_reject_needs_a_reason_the_citizen_reads(commune_a, officer_a):
    case = make_case(commune_a)
    with pytest.raises(ValidationError):
        case_reject(case=case, by=officer_a, reason="other", note=" ")
    case_reject(case=case, by=officer_a, reason="unreadable_photo", note="Ảnh bị mờ")
    event = case.events.get(kind=EventKind.REJECTED)
    assert event.public
    assert event.message == "Ảnh kết quả xét nghiệm không rõ, không đọc được: Ảnh bị mờ"


@pytest.mark.django_db
def test_transfer_moves_the_case_and_keeps_its_history(commune_a, commune_b, officer_a, officer_b):
    case = make_case(commune_a)
    with pytest.raises(ValidationError):
        case_transfer(case=case, by=officer_a, to_commune=commune_b, note="")
    case_transfer(
        case=case, by=officer_a, to_commune=commune_b, note="Ở nhà con gái tại TT Sơn Dương"
    )
    case.refresh_from_db()
    assert (case.status, case.commune, case.district.code) == (Status.TRANSFERRED, commune_b, "076")
    event = case.events.get(kind=EventKind.TRANSFERRED)
    assert event.data["from_commune"] == "Xã Tràng Đà"
    # The old commune no longer acts on it; the new one does.
    with pytest.raises(PermissionDenied):
        case_accept(case=case, by=officer_a)
    case_accept(case=case, by=officer_b)
    assert [e.kind for e in case.events.all()] == ["declared", "transferred", "accepted"]


@pytest.mark.django_db
def test_recovery_is_refused_before_day_7_and_accepted_from_day_7(commune_a, officer_a):
    today = timezone.localdate()
    case = make_case(commune_a, positive_test_date=today - timedelta(days=5))
    case_accept(case=case, by=officer_a)
    with pytest.raises(RecoveryTooEarly) as err:
        case_request_recovery(
            case=case, negative_test_date=today, test_type="rapid_self", tested_by="self_supervised"
        )
    assert (today + timedelta(days=1)).strftime("%d/%m/%Y") in str(err.value)
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED

    on_day_7 = make_case(commune_a, positive_test_date=today - timedelta(days=6))
    case_accept(case=on_day_7, by=officer_a)
    case_request_recovery(
        case=on_day_7, negative_test_date=today, test_type="rapid_self", tested_by="self_supervised"
    )
    on_day_7.refresh_from_db()
    assert on_day_7.status == Status.RECOVERY_REQUESTED
    case_confirm_recovery(case=on_day_7, by=officer_a)
    on_day_7.refresh_from_db()
    assert (on_day_7.status, on_day_7.outcome) == (Status.RECOVERED, Outcome.RECOVERED)
    assert on_day_7.recovery_declarations.get().state == "confirmed"


@pytest.mark.django_db
def test_without_a_negative_test_recovery_waits_for_day_10_or_14(commune_a, officer_a):
    today = timezone.localdate()
    unvaccinated = make_case(
        commune_a, vaccine_doses=0, positive_test_date=today - timedelta(days=12)
    )
    case_accept(case=unvaccinated, by=officer_a)
    with pytest.raises(ValidationError):
        case_confirm_recovery(case=unvaccinated, by=officer_a)  # day 13 of 14
    vaccinated = make_case(commune_a, vaccine_doses=2, positive_test_date=today - timedelta(days=9))
    case_accept(case=vaccinated, by=officer_a)
    case_confirm_recovery(case=vaccinated, by=officer_a)  # day 10 of 10
    assert Case.objects.get(pk=vaccinated.pk).status == Status.RECOVERED


@pytest.mark.django_db
def test_corrections_recompute_the_rules_and_keep_old_values(commune_a, officer_a):
    case = make_case(commune_a, vaccine_doses=2)
    case_correct(case=case, by=officer_a, changes={"vaccine_doses": 0}, reason="Khai nhầm số mũi")
    case.refresh_from_db()
    assert case.extended_isolation_end == case.positive_test_date + timedelta(days=13)
    assert "unvaccinated" in case.risk_flags
    event = CaseEvent.objects.get(case=case, kind=EventKind.CORRECTED)
    assert event.data["changes"]["vaccine_doses"] == {"old": 2, "new": 0}
    with pytest.raises(ValidationError):
        case_correct(case=case, by=officer_a, changes={"tracking_code": "X"}, reason="x")
