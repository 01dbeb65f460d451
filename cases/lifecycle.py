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
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_log
from cases.choices import ACTION_EVENTS, TRANSITIONS, Status
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


def lock_case(case: Case) -> Case:
    """Re-read the case under a row lock so that concurrent actions queue up."""
    return Case.objects.select_for_update().get(pk=case.pk)


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
