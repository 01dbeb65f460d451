import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.choices import EventKind, Status
from cases.models import Case, CaseEvent, SubmissionReceipt
from cases.services import case_declare
from cases.testing import declaration_values, photo_file
from notifications.models import Notification
from uploads.services import upload_create


@pytest.mark.django_db
def test_a_declaration_creates_a_submitted_case_with_its_event(commune_a):
    result = case_declare(
        commune=commune_a, values=declaration_values(), submission_key=uuid.uuid4()
    )
    case = result.case
    assert result.kind == "created"
    assert case.status == Status.SUBMITTED
    assert case.tracking_code.startswith("TQ-")
    assert (case.commune, case.district.code, case.province.code) == (commune_a, "070", "08")
    assert case.isolation_end == case.positive_test_date + timedelta(days=6)
    events = list(case.events.all())
    assert [(e.kind, e.actor_label, e.to_status) for e in events] == [
        (EventKind.DECLARED, "Người dân", Status.SUBMITTED)
    ]


@pytest.mark.django_db
def test_the_same_form_submitted_twice_gives_the_same_code_and_one_case(commune_a):
    key = uuid.uuid4()
    values = declaration_values()
    first = case_declare(commune=commune_a, values=values, submission_key=key)
    again = case_declare(commune=commune_a, values=values, submission_key=key)
    assert again.case.tracking_code == first.case.tracking_code
    assert again.replayed
    assert Case.objects.count() == 1
    assert CaseEvent.objects.count() == 1


@pytest.mark.django_db
def test_a_form_with_a_photo_sent_again_later_gets_its_first_answer(commune_a):
    key = uuid.uuid4()
    photo = upload_create(file=photo_file(), kind="test_photo")
    first = case_declare(
        commune=commune_a, values=declaration_values(), test_photo=photo, submission_key=key
    )
    # The photo is claimed by now: the second sending must not be refused for it.
    again = case_declare(
        commune=commune_a, values=declaration_values(), test_photo=photo, submission_key=key
    )
    assert (again.case, again.kind, again.replayed) == (first.case, "created", True)
    assert Case.objects.count() == 1
    assert list(CaseEvent.objects.values_list("kind", flat=True)) == [EventKind.DECLARED]
    assert Notification.objects.filter(kind="declaration_received").count() == 1


@pytest.mark.django_db
def test_a_second_declaration_for_an_open_case_is_linked_not_duplicated(commune_a, commune_a2):
    values = declaration_values()
    first = case_declare(commune=commune_a, values=values, submission_key=uuid.uuid4())
    photo = upload_create(file=photo_file(), kind="test_photo")
    second = case_declare(
        commune=commune_a2,
        values={**values, "phone": "0987654321"},
        test_photo=photo,
        submission_key=uuid.uuid4(),
    )
    assert second.kind == "linked"
    assert second.case == first.case
    assert Case.objects.count() == 1
    linked = first.case.events.get(kind=EventKind.DECLARATION_LINKED)
    assert linked.data["declared"]["phone"] == "0987654321"
    assert linked.data["test_photo_id"] == photo.pk
    assert not linked.public
    photo.refresh_from_db()
    assert photo.attached_at is not None


@pytest.mark.django_db
def test_after_a_case_ends_the_same_person_can_declare_again(commune_a, officer_a):
    from cases.services import case_reject

    values = declaration_values()
    first = case_declare(commune=commune_a, values=values, submission_key=uuid.uuid4()).case
    case_reject(case=first, by=officer_a, reason="unreadable_photo")
    second = case_declare(commune=commune_a, values=values, submission_key=uuid.uuid4())
    assert second.kind == "created"
    assert second.case != first


@pytest.mark.django_db
def test_invalid_values_write_nothing(commune_a):
    photo = upload_create(file=photo_file(), kind="test_photo")
    with pytest.raises(ValidationError):
        case_declare(
            commune=commune_a,
            values=declaration_values(spo2=20),
            test_photo=photo,
            submission_key=uuid.uuid4(),
        )
    assert not Case.objects.exists()
    assert not CaseEvent.objects.exists()
    assert not SubmissionReceipt.objects.exists()
    photo.refresh_from_db()
    assert photo.attached_at is None  # left for the purge, not claimed by a ghost case


@pytest.mark.django_db
def test_flags_are_computed_at_declaration(commune_a):
    today = timezone.localdate()
    case = case_declare(
        commune=commune_a,
        values=declaration_values(
            date_of_birth=today.replace(year=today.year - 70) - timedelta(days=1),
            symptoms=["breathlessness"],
            vaccine_doses=0,
        ),
        submission_key=uuid.uuid4(),
    ).case
    assert case.has_danger_signs and case.high_risk
    assert case.risk_flags == ["danger", "elderly", "unvaccinated"]
    assert case.extended_isolation_end == case.positive_test_date + timedelta(days=13)
