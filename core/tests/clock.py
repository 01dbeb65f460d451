"""Tests run the clock at a chosen Vietnamese wall-clock time.

`timezone.now()` is read through `django.utils.timezone` by every service, so patching it
moves "now" for the code under test (model field defaults bound to the function at import
keep the real clock). Between 00:00 and 06:59 in Asia/Ho_Chi_Minh the UTC date is still
the day before: the hours in which a date taken in the wrong zone shows.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def set_local_clock(monkeypatch, local: str) -> datetime:
    """Freeze `timezone.now()` at `local` ("2026-11-29 03:30", Vietnam time).

    Returns the aware datetime `timezone.now()` gives from then on, in UTC as Django's is.
    """
    at = datetime.strptime(local, "%Y-%m-%d %H:%M").replace(tzinfo=VIETNAM).astimezone(UTC)
    monkeypatch.setattr(timezone, "now", lambda: at)
    return at
