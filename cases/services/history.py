"""The machinery of every status change: lock, check, record the event, notify.

An illegal change raises IllegalTransition and changes nothing; services call these
inside their own transaction."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import COMMUNE_ROLES, User
from cases.choices import Status
from cases.models import Case, CaseEvent

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


def lock_case(case: Case) -> Case:
    """Re-read the case under a row lock so that concurrent actions queue up."""
    return Case.objects.select_for_update().get(pk=case.pk)


def check_may_act(by: User, case: Case) -> None:
    """Only the commune's own officers and leaders act on a case."""
    if by.role not in COMMUNE_ROLES or by.unit_id != case.commune_id:
        raise PermissionDenied


def case_event_record(
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


def transition(
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
    case_event_record(
        case, kind=kind, by=by, from_status=from_status, reason=reason, data=data, public=public
    )
    return case


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
