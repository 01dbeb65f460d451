"""The commune's decisions on a case: accept, reject, transfer, close, correct."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cases.choices import EventKind, Outcome, RejectReason, Status
from cases.models import Case
from cases.services.declaration import DECLARATION_FIELDS, derived_fields, values_summary
from cases.services.history import (
    case_event_record,
    case_notify,
    check_may_act,
    lock_case,
    transition,
)
from units.models import Unit
from units.scope import ancestry_for


@transaction.atomic
def case_accept(*, case: Case, by: User, note: str = "") -> Case:
    """The commune accepts the declaration: the person is an isolating case from now."""
    from documents.services import isolation_decision_prepare

    case = lock_case(case)
    check_may_act(by, case)
    case = transition(
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
    case = lock_case(case)
    check_may_act(by, case)
    if reason not in RejectReason.values:
        raise ValidationError({"reason": _("Vui lòng chọn lý do không tiếp nhận.")})
    if reason == RejectReason.OTHER and not note.strip():
        raise ValidationError({"note": _("Vui lòng ghi rõ lý do khác.")})
    text = RejectReason(reason).label + (f": {note.strip()}" if note.strip() else "")
    case = transition(
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
    case = lock_case(case)
    check_may_act(by, case)
    if to_commune.level != Unit.Level.COMMUNE or to_commune.unit_set_id != case.commune.unit_set_id:
        raise ValidationError({"to_commune": _("Vui lòng chọn một xã, phường, thị trấn.")})
    if to_commune.pk == case.commune_id:
        raise ValidationError({"to_commune": _("Hồ sơ đã thuộc xã này.")})
    if not note.strip():
        raise ValidationError({"note": _("Vui lòng ghi lý do chuyển.")})
    from_commune = case.commune
    return transition(
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
    case = lock_case(case)
    check_may_act(by, case)
    if outcome not in (Outcome.HOSPITALISED, Outcome.DIED, Outcome.MOVED_AWAY):
        raise ValidationError({"outcome": _("Vui lòng chọn kết quả.")})
    return transition(
        case,
        to=Status.CLOSED,
        kind=EventKind.CLOSED,
        by=by,
        reason=Outcome(outcome).label + (f": {note.strip()}" if note.strip() else ""),
        data={"outcome": outcome},
        outcome=outcome,
        closed_at=timezone.now(),
    )


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
    case = lock_case(case)
    check_may_act(by, case)
    if not reason.strip():
        raise ValidationError({"reason": _("Vui lòng ghi lý do sửa thông tin.")})
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Không được sửa các trường: %s") % ", ".join(sorted(unknown)))
    diff = {}
    for name, value in changes.items():
        old = getattr(case, name)
        if old != value:
            diff[name] = {
                "old": values_summary({name: old})[name],
                "new": values_summary({name: value})[name],
            }
            setattr(case, name, value)
    if not diff:
        return case
    if _RULE_INPUTS & set(diff):
        values = {f: getattr(case, f) for f in DECLARATION_FIELDS}
        for name, value in derived_fields(values, on=case.submitted_at.date()).items():
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
    case_event_record(
        case,
        kind=EventKind.CORRECTED,
        by=by,
        from_status=case.status,
        reason=reason.strip(),
        data={"changes": diff},
        public=False,
    )
    return case
