"""Infection declarations: a citizen's (public form) or an officer's (enrolment, import).

The same submission key twice gives the first answer again; a declaration for an ID
number with an open case is linked to it. A household declared together on the public form
is one submission (`household_declare`): its members are written at once or not at all."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_log
from cases import rules
from cases.choices import EventKind, IdType, Status
from cases.lifecycle import case_event_record
from cases.models import Case, SubmissionReceipt
from cases.services.notice import case_notify
from cases.tracking import new_tracking_code
from cases.validators import name_key
from core.text import nfc
from notifications.channels import phone_channel_choices
from units.models import Unit
from units.scope import ancestry_for
from uploads.services import upload_attach


@dataclass(frozen=True)
class DeclareResult:
    case: Case
    # "created": a new case; "linked": added to the open case of the same ID number.
    kind: str
    # True when this answers a resubmission of a form already received.
    replayed: bool = False


IDENTITY_FIELDS = (
    "full_name",
    "date_of_birth",
    "sex",
    "id_type",
    "id_number",
    "guardian_name",
    "guardian_id_number",
    "guardian_phone",
)
CONTACT_FIELDS = (
    "phone",
    "email",
    "village",
    "house_number",
    "workplace",
    "social_insurance_number",
)
PERSON_FIELDS = IDENTITY_FIELDS + CONTACT_FIELDS
TEST_FIELDS = ("test_type", "test_place", "positive_test_date")
HEALTH_FIELDS = (
    "vaccine_doses",
    "last_dose_date",
    "symptoms",
    "symptom_onset_date",
    "spo2",
    "breathing_rate",
    "temperature",
    "comorbidities",
    "pregnant",
    "household_size",
)
DECLARATION_FIELDS = PERSON_FIELDS + TEST_FIELDS + HEALTH_FIELDS


def derived_fields(values: dict[str, Any], *, on: date) -> dict[str, Any]:
    """Rule set, isolation dates and risk flags for a declaration's values."""
    rule_set = rules.rule_set_for(values["positive_test_date"])
    plan = rules.isolation_plan(
        rule_set=rule_set,
        positive_test_date=values["positive_test_date"],
        vaccine_doses=values["vaccine_doses"],
    )
    flags = rules.risk_flags(
        rule_set=rule_set,
        date_of_birth=values["date_of_birth"],
        on=on,
        pregnant=values.get("pregnant", False),
        comorbidities=values.get("comorbidities") or [],
        vaccine_doses=values["vaccine_doses"],
        symptoms=values.get("symptoms") or [],
        spo2=values.get("spo2"),
        breathing_rate=values.get("breathing_rate"),
    )
    return {
        "rule_set": rule_set,
        "isolation_end": plan.isolation_end,
        "extended_isolation_end": plan.extended_isolation_end,
        "risk_flags": flags,
        "has_danger_signs": "danger" in flags,
        "high_risk": bool(flags),
        "name_key": name_key(values["full_name"]),
    }


def values_summary(values: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe copy of declared values for an event's data."""
    return {
        k: (v.isoformat() if isinstance(v, date) else str(v) if v is not None else None)
        if not isinstance(v, list | bool | int)
        else v
        for k, v in values.items()
    }


def uploads_attach(*uploads) -> None:
    for upload in uploads:
        if upload is not None:
            upload_attach(upload=upload)


def _replay(submission_key: uuid.UUID | None) -> DeclareResult | None:
    if submission_key is None:
        return None
    receipt = SubmissionReceipt.objects.select_related("case").filter(key=submission_key).first()
    if receipt is None:
        return None
    return DeclareResult(case=receipt.case, kind=receipt.kind, replayed=True)


def case_declare(
    *,
    commune: Unit,
    values: dict[str, Any],
    test_photo=None,
    id_photo=None,
    submission_key: uuid.UUID | None = None,
    entered_by: User | None = None,
    consent_at=None,
    request=None,
    audit_detail: dict | None = None,
) -> DeclareResult:
    """Record an infection declaration (a citizen's, or one an officer enters).

    The same `submission_key` twice gives the first answer again and writes nothing. A
    declaration for an ID number with an open case is added to that case, not duplicated.
    An officer's entry is audited as `case.enrol`, or `case.import` when `audit_detail`
    names the import job it came from; a replayed submission writes no entry.
    Raises PermissionDenied when `entered_by` does not act for `commune`.
    """
    if entered_by is not None and not entered_by.may_act_for(commune):
        raise PermissionDenied
    # A form sent twice is answered from its receipt. Not looked up first: the second
    # sending finds the key taken when it writes the receipt (IntegrityError, below), which
    # spares every first sending a query.
    # NFC here too: values also come from outside forms (Excel rows, an API later).
    notify_channel = _notify_channel(values)
    values = {k: nfc(values.get(k)) for k in DECLARATION_FIELDS if k in values}
    arguments = {
        "commune": commune,
        "values": values,
        "notify_channel": notify_channel,
        "test_photo": test_photo,
        "id_photo": id_photo,
        "submission_key": submission_key,
        "entered_by": entered_by,
        "consent_at": consent_at,
    }
    try:
        with transaction.atomic():
            result = _declare(**arguments)
            _audit_entry(result, entered_by, request, audit_detail)
            return result
    except IntegrityError:
        # A concurrent twin won the race (same form twice, or same ID number), or a tracking
        # code collided: answer as the twin was answered, or try once more.
        if replay := _replay(submission_key):
            return replay
        with transaction.atomic():
            result = _declare(**arguments)
            _audit_entry(result, entered_by, request, audit_detail)
            return result


def _notify_channel(values: dict[str, Any]) -> str:
    """The phone channel the person chose (public form): kept when it is one of
    notifications.channels' phone channels; "" (told by SMS) otherwise."""
    chosen = values.get("notify_channel") or ""
    return chosen if chosen in dict(phone_channel_choices()) else ""


def _audit_entry(result: DeclareResult, entered_by, request, audit_detail) -> None:
    """An officer's entry is audited in the officer's commune (a linked declaration may
    belong to a case of another commune)."""
    if entered_by is None:
        return
    action = "import" if audit_detail and "job" in audit_detail else "enrol"
    audit_log(
        action=f"case.{action}",
        request=request,
        actor=entered_by,
        obj=result.case,
        unit=entered_by.unit,
        detail={**(audit_detail or {}), "result": result.kind},
    )


DB_CHECKED_FIELDS = [
    "tracking_code",
    "commune",
    "district",
    "province",
    "rule_set",
    "test_photo",
    "id_photo",
    "entered_by",
]


def _declare(
    *,
    commune,
    values,
    test_photo,
    id_photo,
    submission_key,
    entered_by,
    consent_at,
    notify_channel="",
    household_key=None,
):
    now = timezone.now()
    open_case = None
    if values.get("id_type") != IdType.NONE and values.get("id_number"):
        # Locked by id alone (the usual answer is none); the whole row is read only when found.
        open_ids = (
            Case.objects.select_for_update()
            .filter(id_number=values["id_number"])
            .open()
            .order_by("pk")
            .values_list("pk", flat=True)[:1]
        )
        if found := list(open_ids):
            open_case = Case.objects.get(pk=found[0])
    if open_case is not None:
        case_event_record(
            open_case,
            kind=EventKind.DECLARATION_LINKED,
            by=entered_by,
            from_status=open_case.status,
            reason=_("Khai báo mới cho cùng số giấy tờ, gắn vào hồ sơ đang mở."),
            data={
                "declared": values_summary(values),
                "commune_id": commune.pk,
                "test_photo_id": test_photo.pk if test_photo else None,
                "id_photo_id": id_photo.pk if id_photo else None,
            },
            public=False,
        )
        # The code goes to the phone of the first declaration, never to the new declarant.
        return _received(
            open_case, SubmissionReceipt.Kind.LINKED, submission_key, test_photo, id_photo
        )

    case = Case(
        **ancestry_for(commune),
        status=Status.SUBMITTED,
        test_photo=test_photo,
        id_photo=id_photo,
        consent_at=consent_at or now,
        submitted_at=now,
        entered_by=entered_by,
        notify_channel=notify_channel,
        household_key=household_key,
        **values,
        **derived_fields(values, on=timezone.localdate(now)),
    )
    # The form checked the values; the database enforces references and uniqueness (a rare
    # tracking-code collision or a concurrent twin raises IntegrityError: case_declare retries).
    case.full_clean(exclude=DB_CHECKED_FIELDS, validate_unique=False, validate_constraints=False)
    case.tracking_code = new_tracking_code()
    case.save()
    case_event_record(
        case,
        kind=EventKind.ENROLLED if entered_by else EventKind.DECLARED,
        by=entered_by,
        data={"commune_id": commune.pk},
    )
    return _received(case, SubmissionReceipt.Kind.CREATED, submission_key, test_photo, id_photo)


def _received(case, kind, submission_key, test_photo, id_photo) -> DeclareResult:
    """What follows either answer: the receipt kept, photos claimed, the person told."""
    if submission_key:
        # First: a form sent a second time stops here (the key is taken), before its photos,
        # already claimed by the first sending, would be refused as stale.
        SubmissionReceipt.objects.create(key=submission_key, kind=kind, case=case)
    uploads_attach(test_photo, id_photo)
    notice = {
        SubmissionReceipt.Kind.CREATED: "declaration_received",
        SubmissionReceipt.Kind.LINKED: "declaration_linked",
    }[kind]
    case_notify(case, notice)
    return DeclareResult(case=case, kind=kind)


# Household declarations ---------------------------------------------------------------

# More people than a household declares at once is a sign of misuse; a larger family (or
# a boarding house) is declared in several submissions.
HOUSEHOLD_MAX_MEMBERS = 10


@dataclass(frozen=True)
class MemberDeclaration:
    """One person of a household submission: as `case_declare` takes them."""

    commune: Unit
    values: dict[str, Any]
    test_photo: Any = None
    id_photo: Any = None


def household_size_check(count: int) -> None:
    """Raise ValidationError("household_size") unless 1 <= count <= HOUSEHOLD_MAX_MEMBERS."""
    if not 1 <= count <= HOUSEHOLD_MAX_MEMBERS:
        raise ValidationError(
            _("Một lần khai báo gồm từ 1 đến %(max)d người.") % {"max": HOUSEHOLD_MAX_MEMBERS},
            code="household_size",
        )


def member_key(submission_key: uuid.UUID, index: int) -> uuid.UUID:
    """The receipt key of the member at `index` (from 0) of a household submission.

    The first member's is the submission key itself, so that a household of one is
    answered exactly as a plain declaration; the others' are derived from it (UUID5)."""
    return submission_key if index == 0 else uuid.uuid5(submission_key, f"member-{index}")


def _household_replay(submission_key: uuid.UUID, count: int) -> list[DeclareResult] | None:
    keys = [member_key(submission_key, i) for i in range(count)]
    receipts = {
        r.key: r for r in SubmissionReceipt.objects.select_related("case").filter(key__in=keys)
    }
    if submission_key not in receipts:
        return None
    return [
        DeclareResult(case=receipts[key].case, kind=receipts[key].kind, replayed=True)
        for key in keys
        if key in receipts
    ]


def household_declare(
    *,
    members: list[MemberDeclaration],
    submission_key: uuid.UUID,
    consent_at=None,
) -> list[DeclareResult]:
    """Record the declarations of a household sent together from the public form.

    Returns one DeclareResult per member, in order. All members are written in one
    transaction, or none; the cases created share `household_key` = `submission_key` when
    there is more than one member (the commune's inbox groups them by it), and each keeps
    its own tracking code, SMS and, later, its own decision. A member whose ID number has
    an open case is linked to it, as in `case_declare`. The same `submission_key` twice
    gives the first answers again and writes nothing (issue 13 part 3).
    Raises ValidationError for no member or more than HOUSEHOLD_MAX_MEMBERS.
    """
    household_size_check(len(members))
    household_key = submission_key if len(members) > 1 else None

    def write() -> list[DeclareResult]:
        with transaction.atomic():
            return [
                _declare(
                    commune=member.commune,
                    values={
                        k: nfc(member.values.get(k))
                        for k in DECLARATION_FIELDS
                        if k in member.values
                    },
                    notify_channel=_notify_channel(member.values),
                    test_photo=member.test_photo,
                    id_photo=member.id_photo,
                    submission_key=member_key(submission_key, index),
                    entered_by=None,
                    consent_at=consent_at,
                    household_key=household_key,
                )
                for index, member in enumerate(members)
            ]

    try:
        return write()
    except IntegrityError:
        # As case_declare: a concurrent twin of this submission won (answer as it was
        # answered), or a tracking code or an ID number collided (try once more).
        if replay := _household_replay(submission_key, len(members)):
            return replay
        return write()
