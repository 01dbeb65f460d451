"""Writes on cases. Every status change locks the case, checks the transition, and writes
the CaseEvent in the same transaction; an illegal change raises and changes nothing."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import COMMUNE_ROLES, User
from cases import rules
from cases.choices import EventKind, IdType, Outcome, RejectReason, Status
from cases.models import Case, CaseEvent, RecoveryDeclaration, SubmissionReceipt
from cases.tracking import new_tracking_code
from cases.validators import name_key
from units.models import Unit
from units.scope import ancestry_for

CITIZEN_LABEL = "Người dân"

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.SUBMITTED: {Status.ACCEPTED, Status.REJECTED, Status.TRANSFERRED, Status.CLOSED},
    Status.TRANSFERRED: {Status.ACCEPTED, Status.REJECTED, Status.TRANSFERRED, Status.CLOSED},
    Status.ACCEPTED: {
        Status.RECOVERY_REQUESTED,
        Status.RECOVERED,
        Status.TRANSFERRED,
        Status.CLOSED,
    },
    Status.RECOVERY_REQUESTED: {Status.RECOVERED, Status.ACCEPTED, Status.CLOSED},
}


class IllegalTransition(ValidationError):
    def __init__(self, case: Case, to: str):
        super().__init__(
            _("Không thể chuyển hồ sơ %(code)s từ trạng thái «%(from)s» sang «%(to)s».")
            % {
                "code": case.tracking_code,
                "from": Status(case.status).label,
                "to": Status(to).label,
            },
            code="illegal_transition",
        )


def _lock(case: Case) -> Case:
    """Re-read the case under a row lock so that concurrent actions queue up."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _check_may_act(by: User, case: Case) -> None:
    """Only the commune's own officers and leaders act on a case."""
    if by.role not in COMMUNE_ROLES or by.unit_id != case.commune_id:
        raise PermissionDenied


def _event(
    case: Case,
    *,
    kind: str,
    by: User | None,
    from_status: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
    public: bool = True,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=by,
        actor_label=(by.full_name or by.username) if by else CITIZEN_LABEL,
        from_status=from_status,
        to_status=case.status,
        reason=reason,
        data=data or {},
        public=public,
    )


def _transition(
    case: Case,
    *,
    to: str,
    kind: str,
    by: User | None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    public: bool = True,
    **fields: Any,
) -> Case:
    """Move a locked case to `to`, set `fields`, and record the event."""
    if to not in ALLOWED_TRANSITIONS.get(case.status, set()):
        raise IllegalTransition(case, to)
    from_status = case.status
    case.status = to
    for name, value in fields.items():
        setattr(case, name, value)
    case.save()
    _event(case, kind=kind, by=by, from_status=from_status, reason=reason, data=data, public=public)
    return case


# Declarations -------------------------------------------------------------------------


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


def _derived_fields(values: dict[str, Any], *, on: date) -> dict[str, Any]:
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


def _summary(values: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe copy of declared values for an event's data."""
    return {
        k: (v.isoformat() if isinstance(v, date) else str(v) if v is not None else None)
        if not isinstance(v, list | bool | int)
        else v
        for k, v in values.items()
    }


def case_notify(case: Case, kind: str, **context: Any) -> None:
    """Tell the person (or the guardian) of a case by SMS and email, after commit."""
    from django.conf import settings
    from django.urls import reverse

    from notifications.services import citizen_notify

    citizen_notify(
        kind=kind,
        phone=case.phone or case.guardian_phone,
        email=case.email,
        ref=case,
        tracking_code=case.tracking_code,
        status_url=settings.SITE_URL + reverse("public:status"),
        **context,
    )


def _attach(*uploads) -> None:
    from uploads.services import upload_attach

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
) -> DeclareResult:
    """Record an infection declaration (a citizen's, or one an officer enters).

    The same `submission_key` twice gives the first answer again and writes nothing. A
    declaration for an ID number with an open case is added to that case, not duplicated.
    """
    if entered_by is not None and (
        entered_by.role not in COMMUNE_ROLES or entered_by.unit_id != commune.pk
    ):
        raise PermissionDenied
    if replay := _replay(submission_key):
        return replay
    values = {k: values.get(k) for k in DECLARATION_FIELDS if k in values}
    arguments = {
        "commune": commune,
        "values": values,
        "test_photo": test_photo,
        "id_photo": id_photo,
        "submission_key": submission_key,
        "entered_by": entered_by,
        "consent_at": consent_at,
    }
    try:
        with transaction.atomic():
            return _declare(**arguments)
    except IntegrityError:
        # A concurrent twin won the race (same form twice, or same ID number), or a tracking
        # code collided: answer as the twin was answered, or try once more.
        if replay := _replay(submission_key):
            return replay
        with transaction.atomic():
            return _declare(**arguments)


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


def _declare(*, commune, values, test_photo, id_photo, submission_key, entered_by, consent_at):
    now = timezone.now()
    open_case = None
    if values.get("id_type") != IdType.NONE and values.get("id_number"):
        open_case = (
            Case.objects.select_for_update().filter(id_number=values["id_number"]).open().first()
        )
    if open_case is not None:
        _event(
            open_case,
            kind=EventKind.DECLARATION_LINKED,
            by=entered_by,
            from_status=open_case.status,
            reason=_("Khai báo mới cho cùng số giấy tờ, gắn vào hồ sơ đang mở."),
            data={
                "declared": _summary(values),
                "commune_id": commune.pk,
                "test_photo_id": test_photo.pk if test_photo else None,
                "id_photo_id": id_photo.pk if id_photo else None,
            },
            public=False,
        )
        _attach(test_photo, id_photo)
        if submission_key:
            SubmissionReceipt.objects.create(
                key=submission_key, kind=SubmissionReceipt.Kind.LINKED, case=open_case
            )
        # The code goes to the phone of the first declaration, never to the new declarant.
        case_notify(open_case, "declaration_linked")
        return DeclareResult(case=open_case, kind=SubmissionReceipt.Kind.LINKED)

    case = Case(
        **ancestry_for(commune),
        status=Status.SUBMITTED,
        test_photo=test_photo,
        id_photo=id_photo,
        consent_at=consent_at or now,
        submitted_at=now,
        entered_by=entered_by,
        **values,
        **_derived_fields(values, on=now.date()),
    )
    # The form checked the values; the database enforces references and uniqueness (a rare
    # tracking-code collision or a concurrent twin raises IntegrityError: case_declare retries).
    case.full_clean(exclude=DB_CHECKED_FIELDS, validate_unique=False, validate_constraints=False)
    case.tracking_code = new_tracking_code()
    case.save()
    _event(
        case,
        kind=EventKind.ENROLLED if entered_by else EventKind.DECLARED,
        by=entered_by,
        data={"commune_id": commune.pk},
    )
    _attach(test_photo, id_photo)
    if submission_key:
        SubmissionReceipt.objects.create(
            key=submission_key, kind=SubmissionReceipt.Kind.CREATED, case=case
        )
    case_notify(case, "declaration_received")
    return DeclareResult(case=case, kind=SubmissionReceipt.Kind.CREATED)


# Commune decisions ---------------------------------------------------------------------


@transaction.atomic
def case_accept(*, case: Case, by: User, note: str = "") -> Case:
    """The commune accepts the declaration: the person is an isolating case from now."""
    from documents.services import isolation_decision_prepare

    case = _lock(case)
    _check_may_act(by, case)
    case = _transition(
        case,
        to=Status.ACCEPTED,
        kind=EventKind.ACCEPTED,
        by=by,
        reason=note,
        accepted_at=timezone.now(),
    )
    isolation_decision_prepare(case=case, by=by)
    return case


@transaction.atomic
def case_reject(*, case: Case, by: User, reason: str, note: str = "") -> Case:
    """Refuse a declaration with a reason the citizen reads on the status page."""
    case = _lock(case)
    _check_may_act(by, case)
    if reason not in RejectReason.values:
        raise ValidationError({"reason": _("Vui lòng chọn lý do không tiếp nhận.")})
    if reason == RejectReason.OTHER and not note.strip():
        raise ValidationError({"note": _("Vui lòng ghi rõ lý do khác.")})
    text = RejectReason(reason).label + (f": {note.strip()}" if note.strip() else "")
    case = _transition(
        case,
        to=Status.REJECTED,
        kind=EventKind.REJECTED,
        by=by,
        reason=text,
        data={"reason": reason},
        rejection_reason=reason,
        rejection_note=note.strip(),
        outcome=Outcome.REJECTED,
        closed_at=timezone.now(),
    )
    case_notify(case, "declaration_rejected", reason=text)
    return case


@transaction.atomic
def case_transfer(*, case: Case, by: User, to_commune: Unit, note: str) -> Case:
    """Hand the case to the commune where the person actually stays; the history stays."""
    case = _lock(case)
    _check_may_act(by, case)
    if to_commune.level != Unit.Level.COMMUNE or to_commune.unit_set_id != case.commune.unit_set_id:
        raise ValidationError({"to_commune": _("Vui lòng chọn một xã, phường, thị trấn.")})
    if to_commune.pk == case.commune_id:
        raise ValidationError({"to_commune": _("Hồ sơ đã thuộc xã này.")})
    if not note.strip():
        raise ValidationError({"note": _("Vui lòng ghi lý do chuyển.")})
    from_commune = case.commune
    return _transition(
        case,
        to=Status.TRANSFERRED,
        kind=EventKind.TRANSFERRED,
        by=by,
        reason=note.strip(),
        data={
            "from_commune_id": from_commune.pk,
            "from_commune": from_commune.name,
            "to_commune_id": to_commune.pk,
            "to_commune": to_commune.name,
        },
        **ancestry_for(to_commune),
    )


@transaction.atomic
def case_close(*, case: Case, by: User, outcome: str, note: str = "") -> Case:
    """End follow-up for another reason: hospitalised, died, moved out of the province."""
    case = _lock(case)
    _check_may_act(by, case)
    if outcome not in (Outcome.HOSPITALISED, Outcome.DIED, Outcome.MOVED_AWAY):
        raise ValidationError({"outcome": _("Vui lòng chọn kết quả.")})
    return _transition(
        case,
        to=Status.CLOSED,
        kind=EventKind.CLOSED,
        by=by,
        reason=Outcome(outcome).label + (f": {note.strip()}" if note.strip() else ""),
        data={"outcome": outcome},
        outcome=outcome,
        closed_at=timezone.now(),
    )


# Recovery ------------------------------------------------------------------------------


class RecoveryTooEarly(ValidationError):
    pass


@transaction.atomic
def case_request_recovery(
    *,
    case: Case,
    negative_test_date: date,
    test_type: str,
    tested_by: str,
    result_photo=None,
    remaining_symptoms: list[str] | None = None,
    submission_key: uuid.UUID | None = None,
) -> RecoveryDeclaration:
    """A citizen declares a negative test; refused before the earliest recovery date."""
    if submission_key and (receipt := SubmissionReceipt.objects.filter(key=submission_key).first()):
        return receipt.case.recovery_declarations.first()
    case = _lock(case)
    today = timezone.localdate()
    if case.status == Status.RECOVERY_REQUESTED:
        raise ValidationError(
            _("Bạn đã khai báo khỏi bệnh; xã đang xem xét. Vui lòng chờ kết quả."),
            code="already_requested",
        )
    if case.status != Status.ACCEPTED:
        raise IllegalTransition(case, Status.RECOVERY_REQUESTED)
    if negative_test_date > today:
        raise ValidationError(
            {"negative_test_date": _("Ngày xét nghiệm không được sau ngày hôm nay.")}
        )
    if negative_test_date < case.isolation_end or today < case.isolation_end:
        raise RecoveryTooEarly(
            {
                "negative_test_date": _(
                    "Chưa đủ thời gian cách ly: xét nghiệm âm tính phải làm từ ngày "
                    "%(date)s (ngày thứ %(days)s kể từ ngày có kết quả dương tính)."
                )
                % {
                    "date": case.isolation_end.strftime("%d/%m/%Y"),
                    "days": case.rule_set.isolation_days,
                }
            },
            code="too_early",
        )
    declaration = RecoveryDeclaration.objects.create(
        case=case,
        negative_test_date=negative_test_date,
        test_type=test_type,
        tested_by=tested_by,
        result_photo=result_photo,
        remaining_symptoms=remaining_symptoms or [],
    )
    _attach(result_photo)
    _transition(
        case,
        to=Status.RECOVERY_REQUESTED,
        kind=EventKind.RECOVERY_REQUESTED,
        by=None,
        data={
            "recovery_declaration_id": declaration.pk,
            "negative_test_date": negative_test_date.isoformat(),
        },
    )
    if submission_key:
        SubmissionReceipt.objects.create(
            key=submission_key, kind=SubmissionReceipt.Kind.RECOVERY, case=case
        )
    return declaration


@transaction.atomic
def case_confirm_recovery(*, case: Case, by: User, note: str = "") -> Case:
    """Confirm recovery: on the citizen's negative test, or once the longest period is over."""
    case = _lock(case)
    _check_may_act(by, case)
    now = timezone.now()
    declaration = case.recovery_declarations.filter(state=RecoveryDeclaration.State.PENDING).first()
    if case.status == Status.ACCEPTED and timezone.localdate() < case.extended_isolation_end:
        raise ValidationError(
            _(
                "Chưa có khai báo xét nghiệm âm tính; chỉ xác nhận khi hết thời gian cách ly "
                "tối đa (ngày %(date)s)."
            )
            % {"date": case.extended_isolation_end.strftime("%d/%m/%Y")},
            code="too_early",
        )
    _transition(
        case,
        to=Status.RECOVERED,
        kind=EventKind.RECOVERY_CONFIRMED,
        by=by,
        reason=note,
        data={"recovery_declaration_id": declaration.pk if declaration else None},
        outcome=Outcome.RECOVERED,
        closed_at=now,
    )
    if declaration:
        declaration.state = RecoveryDeclaration.State.CONFIRMED
        declaration.decided_at = now
        declaration.save(update_fields=["state", "decided_at"])
    from documents.services import recovery_confirmation_prepare

    recovery_confirmation_prepare(case=case, by=by)
    return case


@transaction.atomic
def case_refuse_recovery(*, case: Case, by: User, reason: str) -> Case:
    """Send a recovery declaration back (unreadable photo, test too early...): still isolating."""
    case = _lock(case)
    _check_may_act(by, case)
    if not reason.strip():
        raise ValidationError({"reason": _("Vui lòng ghi lý do để người dân biết cần làm gì.")})
    declaration = case.recovery_declarations.filter(state=RecoveryDeclaration.State.PENDING).first()
    _transition(
        case,
        to=Status.ACCEPTED,
        kind=EventKind.RECOVERY_REFUSED,
        by=by,
        reason=reason.strip(),
        data={"recovery_declaration_id": declaration.pk if declaration else None},
    )
    if declaration:
        declaration.state = RecoveryDeclaration.State.REFUSED
        declaration.refusal_reason = reason.strip()
        declaration.decided_at = timezone.now()
        declaration.save(update_fields=["state", "refusal_reason", "decided_at"])
    case_notify(case, "recovery_refused", reason=reason.strip())
    return case


# Corrections ---------------------------------------------------------------------------

CORRECTABLE_FIELDS = tuple(f for f in DECLARATION_FIELDS if f != "id_type") + ("id_type",)
_RULE_INPUTS = {
    "positive_test_date",
    "vaccine_doses",
    "date_of_birth",
    "pregnant",
    "comorbidities",
    "symptoms",
    "spo2",
    "breathing_rate",
    "full_name",
}


@transaction.atomic
def case_correct(*, case: Case, by: User, changes: dict[str, Any], reason: str) -> Case:
    """Correct declared data; old and new values are kept in the event."""
    case = _lock(case)
    _check_may_act(by, case)
    if not reason.strip():
        raise ValidationError({"reason": _("Vui lòng ghi lý do sửa thông tin.")})
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Không được sửa các trường: %s") % ", ".join(sorted(unknown)))
    diff = {}
    for name, value in changes.items():
        old = getattr(case, name)
        if old != value:
            diff[name] = {"old": _summary({name: old})[name], "new": _summary({name: value})[name]}
            setattr(case, name, value)
    if not diff:
        return case
    if _RULE_INPUTS & set(diff):
        values = {f: getattr(case, f) for f in DECLARATION_FIELDS}
        for name, value in _derived_fields(values, on=case.submitted_at.date()).items():
            setattr(case, name, value)
    case.full_clean(exclude=["test_photo", "id_photo", "rule_set"])
    if (
        "id_number" in diff
        and case.id_number
        and (Case.objects.open().filter(id_number=case.id_number).exclude(pk=case.pk).exists())
    ):
        raise ValidationError(
            {"id_number": _("Số giấy tờ này đang thuộc một hồ sơ khác chưa kết thúc.")}
        )
    case.save()
    _event(
        case,
        kind=EventKind.CORRECTED,
        by=by,
        from_status=case.status,
        reason=reason.strip(),
        data={"changes": diff},
        public=False,
    )
    return case
