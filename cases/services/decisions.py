"""The commune's decisions on a case: accept, reject, transfer, close, correct.

Each decision locks the case, checks who acts (User.may_act_for) and what the lifecycle
allows (cases.choices.TRANSITIONS), records the event, and writes the audit entry
`case.<action>` itself; `request` gives the entry its address, `audit_detail` adds what
the caller knows (the bulk job of a batch decision)."""

import json
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_log
from cases.choices import Action, EventKind, Outcome, RejectReason
from cases.lifecycle import (
    case_audit,
    case_event_record,
    check_may_act,
    lock_case,
    transition,
)
from cases.models import Case, CaseEvent
from cases.services.declaration import DECLARATION_FIELDS, derived_fields, values_summary
from cases.services.notice import case_notify
from core.text import nfc
from units.models import Unit
from units.scope import ancestry_for


@transaction.atomic
def case_accept(
    *,
    case: Case,
    by: User,
    note: str = "",
    request=None,
    audit_detail: dict | None = None,
    seen_version: int | None = None,
) -> Case:
    """The commune accepts the declaration: the person is an isolating case from now (the
    after-transition hooks prepare the isolation decision). `note` is internal: staff read
    it on the case page, the citizen sees only that the case was accepted.

    `seen_version`: the Case.version the official decided on (the page's hidden field, the
    API's If-Match); a case changed since is refused with CaseChanged, changing nothing."""
    case = lock_case(case, seen_version)
    check_may_act(by, case)
    case = transition(
        case,
        action=Action.ACCEPT,
        by=by,
        reason=note,
        accepted_at=timezone.now(),
    )
    case_audit(Action.ACCEPT, case, by, request, audit_detail)
    return case


@transaction.atomic
def case_reject(
    *,
    case: Case,
    by: User,
    reason: str,
    note: str = "",
    request=None,
    audit_detail: dict | None = None,
    seen_version: int | None = None,
) -> Case:
    """Refuse a declaration with a reason the citizen reads on the status page and in the
    SMS/email: the reason's label and `note` are the event's `message`.

    `seen_version`: the Case.version the official decided on (the page's hidden field, the
    API's If-Match); a case changed since is refused with CaseChanged, changing nothing."""
    case = lock_case(case, seen_version)
    check_may_act(by, case)
    if reason not in RejectReason.values:
        raise ValidationError({"reason": _("Vui lòng chọn lý do từ chối tiếp nhận.")})
    if reason == RejectReason.OTHER and not note.strip():
        raise ValidationError({"note": _("Vui lòng ghi rõ lý do khác.")})
    text = RejectReason(reason).label + (f": {note.strip()}" if note.strip() else "")
    case = transition(
        case,
        action=Action.REJECT,
        by=by,
        message=text,
        data={"reason": reason},
        rejection_reason=reason,
        rejection_note=note.strip(),
        outcome=Outcome.REJECTED,
        closed_at=timezone.now(),
    )
    case_audit(Action.REJECT, case, by, request, {"reason": reason, **(audit_detail or {})})
    case_notify(case, "declaration_rejected", reason=text)
    return case


@transaction.atomic
def case_transfer(
    *,
    case: Case,
    by: User,
    to_commune: Unit,
    note: str,
    request=None,
    seen_version: int | None = None,
) -> Case:
    """Hand the case to the commune where the person actually stays; the history stays.
    `note` (why) is internal: both communes read it, the citizen does not.

    `seen_version`: the Case.version the official decided on (the page's hidden field, the
    API's If-Match); a case changed since is refused with CaseChanged, changing nothing."""
    case = lock_case(case, seen_version)
    check_may_act(by, case)
    if to_commune.level != Unit.Level.COMMUNE or to_commune.unit_set_id != case.commune.unit_set_id:
        raise ValidationError({"to_commune": _("Vui lòng chọn một xã, phường.")})
    if to_commune.pk == case.commune_id:
        raise ValidationError({"to_commune": _("Hồ sơ đã thuộc xã này.")})
    if not note.strip():
        raise ValidationError({"note": _("Vui lòng ghi lý do chuyển.")})
    from_commune = case.commune
    case = transition(
        case,
        action=Action.TRANSFER,
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
    # Written in the commune that gave the case away: its audit trail shows where it went.
    audit_log(
        action=f"case.{Action.TRANSFER}",
        request=request,
        actor=by,
        obj=case,
        unit=from_commune,
        detail={"from_commune": from_commune.pk, "to_commune": to_commune.pk},
    )
    return case


@transaction.atomic
def case_close(
    *,
    case: Case,
    by: User,
    outcome: str,
    note: str = "",
    request=None,
    seen_version: int | None = None,
) -> Case:
    """End follow-up for another reason: hospitalised, died, moved out of the province. The
    citizen reads the outcome; `note` is internal.

    `seen_version`: the Case.version the official decided on (the page's hidden field, the
    API's If-Match); a case changed since is refused with CaseChanged, changing nothing."""
    case = lock_case(case, seen_version)
    check_may_act(by, case)
    if outcome not in (Outcome.HOSPITALISED, Outcome.DIED, Outcome.MOVED_AWAY):
        raise ValidationError({"outcome": _("Vui lòng chọn kết quả.")})
    case = transition(
        case,
        action=Action.CLOSE,
        by=by,
        reason=note.strip(),
        message=Outcome(outcome).label,
        data={"outcome": outcome},
        outcome=outcome,
        closed_at=timezone.now(),
    )
    case_audit(Action.CLOSE, case, by, request, {"outcome": outcome})
    return case


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


def field_plain(value: Any) -> Any:
    """A declared value as JSON would carry it (dates as ISO text, decimals as text): the
    form in which the values an official saw travel with a correction form (`seen`)."""
    return json.loads(json.dumps(nfc(value), cls=DjangoJSONEncoder))


def _last_correction_of(case: Case, name: str) -> CaseEvent | None:
    for event in CaseEvent.objects.filter(case=case, kind=EventKind.CORRECTED).order_by(
        "-at", "-pk"
    ):
        if name in (event.data or {}).get("changes", {}):
            return event
    return None


def _shown(value: Any) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


def _correction_conflicts(case: Case, changes: dict[str, Any], seen: dict[str, Any]) -> dict:
    """The fields of `changes` that someone else changed since the official read them
    (`seen`, field_plain values), with the value now and the official's, by field."""
    errors = {}
    for name, value in changes.items():
        if name not in seen:
            continue
        now = field_plain(getattr(case, name))
        if now == seen[name] or now == field_plain(value):
            continue
        event = _last_correction_of(case, name)
        errors[name] = ValidationError(
            _(
                "Trong lúc anh/chị sửa, %(who)s đã sửa thông tin này lúc %(when)s. Giá trị hiện "
                "nay: «%(now)s»; giá trị anh/chị nhập: «%(yours)s». Bấm «Lưu thay đổi» lần nữa "
                "để giữ giá trị của anh/chị."
            )
            % {
                "who": event.actor_label if event else _("người khác"),
                "when": timezone.localtime(event.at).strftime("%H:%M %d/%m/%Y") if event else "",
                "now": _shown(getattr(case, name)),
                "yours": _shown(value),
            },
            code="case_changed",
        )
    return errors


@transaction.atomic
def case_correct(
    *,
    case: Case,
    by: User,
    changes: dict[str, Any],
    reason: str,
    request=None,
    seen_version: int | None = None,
    seen: dict[str, Any] | None = None,
) -> Case:
    """Correct declared data; old and new values are kept in the event.

    `changes` holds only the fields the official edited, so that a colleague's correction of
    another field made meanwhile stays. `seen` ({field: field_plain value}) is what the
    official's form showed: a field of `changes` that someone changed since to another value
    is refused (ValidationError by field, both values in the message), changing nothing.
    `seen_version`: the Case.version the official decided on (the API's If-Match); a case
    changed since is refused with CaseChanged, changing nothing."""
    case = lock_case(case, seen_version)
    check_may_act(by, case)
    if not reason.strip():
        raise ValidationError({"reason": _("Vui lòng ghi lý do sửa thông tin.")})
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Không được sửa các trường: %s") % ", ".join(sorted(unknown)))
    conflicts = _correction_conflicts(case, changes, seen or {})
    if conflicts:
        raise ValidationError(conflicts)
    diff = {}
    for name, value in changes.items():
        value = nfc(value)
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
        for name, value in derived_fields(values, on=timezone.localdate(case.submitted_at)).items():
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
    case_audit(Action.CORRECT, case, by, request, {"fields": sorted(diff)})
    return case
