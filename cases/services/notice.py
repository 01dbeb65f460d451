"""Telling the person of a case what happened, on their phone (SMS, or Zalo when they chose
it) and by email, after the commit."""

from typing import Any

from django.conf import settings
from django.urls import reverse

from cases.models import Case
from notifications.services import citizen_notify


def case_notify(case: Case, kind: str, **context: Any) -> None:
    """Send the notice `kind` (a notifications template) to the person of the case, or to
    the guardian of a child, with the tracking code and the status page's address."""
    citizen_notify(
        kind=kind,
        phone=case.phone or case.guardian_phone,
        email=case.email,
        ref=case,
        phone_channel=case.notify_channel,
        tracking_code=case.tracking_code,
        status_url=settings.SITE_URL + reverse("public:status"),
        **context,
    )
