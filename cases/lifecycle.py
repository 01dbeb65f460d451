"""The machinery of every status change: lock, check against the lifecycle, record, hook.

The table of what may follow what is `cases.choices.TRANSITIONS`, beside `Status`;
`transition()` is the only code that changes a case's status. An action the table does not
allow raises IllegalTransition and changes nothing. Apps above `cases` react to a change
through the after-transition hooks they register in their `AppConfig.ready()` (documents
prepares the isolation decision and the recovery confirmation there), so that `cases`
never imports them.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_log
from cases.choices import ACTION_EVENTS, TRANSITIONS, EventKind, Status
from cases.models import Case, CaseEvent
from core.text import nfc

CITIZEN_LABEL = "Người dân"

# The status each action leads to, wherever the table allows it (one target per action).
ACTION_TARGETS: dict[str, str] = {
    action: to for moves in TRANSITIONS.values() for action, to in moves.items()
}

# Called after every status change, inside its transaction, as hook(case=, event=, by=).
AfterTransitionHook = Callable[..., None]
_after_transition: list[AfterTransitionHook] = []


def after_transition_register(hook: AfterTransitionHook) -> None:
    """Add `hook` to the functions called after every transition (once, however often
    `AppConfig.ready()` runs). A hook that raises rolls the whole change back."""
    if hook not in _after_transition:
        _after_transition.append(hook)


def after_transition_hooks() -> tuple[AfterTransitionHook, ...]:
    return tuple(_after_transition)


class IllegalTransition(ValidationError):
    """The lifecycle does not allow this action from the case's present status."""

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


# The events of the writes that bump Case.version: what another official may have changed.
VERSION_EVENTS = frozenset(
    {*ACTION_EVENTS.values(), EventKind.CORRECTED, EventKind.DANGER_REPORTED}
)


class CaseChanged(ValidationError):
    """The case is no longer the version the official decided on (`seen`): someone changed
    it since the page, form or API read was made. Says what changed, by whom and when
    (`event`, the latest change), so that the official can look again; changes nothing."""

    def __init__(self, case: Case, seen: int | None):
        self.case, self.seen = case, seen
        self.event = (
            CaseEvent.objects.filter(case=case, kind__in=VERSION_EVENTS)
            .order_by("-at", "-pk")
            .first()
        )
        if self.event is None:
            message = _("Hồ sơ %(code)s đã thay đổi từ khi anh/chị mở trang. Vui lòng xem lại.") % {
                "code": case.tracking_code
            }
        else:
            message = _(
                "Hồ sơ %(code)s đã thay đổi từ khi anh/chị mở trang: «%(what)s» do %(who)s thực "
                "hiện lúc %(when)s. Trạng thái hiện nay: «%(status)s». Vui lòng xem lại trước khi "
                "thao tác."
            ) % {
                "code": case.tracking_code,
                "what": self.event.get_kind_display(),
                "who": self.event.actor_label,
                "when": timezone.localtime(self.event.at).strftime("%H:%M %d/%m/%Y"),
                "status": Status(case.status).label,
            }
        super().__init__(message, code="case_changed")


def version_check(case: Case, seen: int | None) -> None:
    """Raise CaseChanged unless `seen` (the Case.version the official decided on; None when
    the caller does not know it, as in a batch) is the locked case's current version."""
    if seen is not None and int(seen) != case.version:
        raise CaseChanged(case, seen)


def case_etag(case: Case) -> str:
    """The case's version as an HTTP entity tag: `"<version>"` (RFC 9110 strong tag)."""
    return f'"{case.version}"'


def etag_version(tag: str) -> int:
    """The version an If-Match tag names (0, which no case has, for a tag not ours)."""
    tag = tag.strip().removeprefix("W/").strip('"')
    return int(tag) if tag.isdigit() else 0


def lock_case(case: Case, seen_version: int | None = None) -> Case:
    """Re-read the case under a row lock so that concurrent actions queue up, and refuse it
    (CaseChanged) when it is no longer the version `seen_version` the official saw."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    version_check(locked, seen_version)
    return locked


def check_may_act(by: User, case: Case) -> None:
    """Raise PermissionDenied unless `by` acts for the case's commune (User.may_act_for)."""
    if not by.may_act_for(case.commune_id):
        raise PermissionDenied


def case_event_record(
    case: Case,
    *,
    kind: str,
    by: User | None,
    from_status: str = "",
    reason: str = "",
    message: str = "",
    data: dict[str, Any] | None = None,
    public: bool = True,
) -> CaseEvent:
    """Write one line of the case's timeline (`by` None: the citizen): `reason` is the
    internal note staff read, `message` the text the citizen reads (CaseEvent)."""
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=by,
        actor_label=(by.full_name or by.username) if by else CITIZEN_LABEL,
        from_status=from_status,
        to_status=case.status,
        reason=nfc(reason),
        message=nfc(message),
        data=data or {},
        public=public,
    )


def transition(
    case: Case,
    *,
    action: str,
    by: User | None,
    reason: str = "",
    message: str = "",
    data: dict[str, Any] | None = None,
    public: bool = True,
    **fields: Any,
) -> Case:
    """Apply `action` (cases.choices.Action) to a locked case: move it to the status the
    lifecycle gives, set `fields`, record the action's event (ACTION_EVENTS), and run the
    after-transition hooks. `reason` is the internal note, `message` what the citizen reads.

    Raises IllegalTransition, changing nothing, when the table has no such move."""
    to = case.next_status(action)
    if to is None:
        raise IllegalTransition(case, ACTION_TARGETS[action])
    from_status = case.status
    case.status = to
    for name, value in fields.items():
        setattr(case, name, value)
    case.save()
    event = case_event_record(
        case,
        kind=ACTION_EVENTS[action],
        by=by,
        from_status=from_status,
        reason=reason,
        message=message,
        data=data,
        public=public,
    )
    for hook in _after_transition:
        hook(case=case, event=event, by=by)
    return case


def case_audit(
    action: str, case: Case, by: User | None, request=None, detail: dict | None = None
) -> None:
    """Write the audit entry `case.<action>` of a case service, in the case's commune."""
    audit_log(
        action=f"case.{action}",
        request=request,
        actor=by,
        obj=case,
        unit=case.commune,
        detail=detail or {},
    )
