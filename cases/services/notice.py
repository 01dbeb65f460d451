"""Telling the person of a case what happened, on their phone (SMS, or Zalo when they chose
it) and by email, after the commit."""

from typing import Any

from cases.models import Case
from cases.monitoring import status_url
from notifications.services import citizen_notify


def case_notify(case: Case, kind: str, **context: Any) -> None:
    """Send the notice `kind` (a notifications template) to the person of the case, or to
    the guardian of a child, with the tracking code and the address of the status page
    (the personal link while the case is open, cases.monitoring.status_url)."""
    citizen_notify(
        kind=kind,
        phone=case.phone or case.guardian_phone,
        email=case.email,
        ref=case,
        phone_channel=case.notify_channel,
        tracking_code=case.tracking_code,
        status_url=status_url(case),
        **context,
    )
