"""Fixed-window attempt counters in the database, shared by every app server.

One statement per attempt: an upsert that returns the new count (PostgreSQL and SQLite
3.35+ both support INSERT ... ON CONFLICT ... RETURNING). Expired rows are removed by
`ratelimit_purge`, which the periodic maintenance runs.
"""

import hashlib
import math
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, models
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import RateCounter


def _key(scope: str, ident: str, window: int) -> tuple[str, datetime]:
    bucket = int(time.time() // window)
    digest = hashlib.sha256(f"{scope}:{ident}".encode()).hexdigest()[:32]
    expires = datetime.fromtimestamp((bucket + 1) * window, tz=UTC)
    return f"{scope}:{digest}:{bucket}"[:80], expires


def _enabled(ident: str) -> bool:
    return getattr(settings, "RATELIMIT_ENABLED", True) and bool(ident)


def hit(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Count one attempt; False when `ident` has used up `limit` attempts in this window."""
    if not _enabled(ident):
        return True
    key, expires = _key(scope, ident, window)
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s) "  # noqa: S608
            f"ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [key, expires],
        )
        (count,) = cursor.fetchone()
    return count <= limit


def unhit(scope: str, ident: str, *, window: int) -> None:
    """Take back one attempt counted by `hit` in this window: a limit that counts failures
    counts each attempt before checking it (so that parallel attempts cannot all slip under
    the limit) and takes the count back when the attempt turns out right."""
    if not _enabled(ident):
        return
    key, _expires = _key(scope, ident, window)
    RateCounter.objects.filter(key=key, count__gt=0).update(count=models.F("count") - 1)


def peek(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Whether `ident` still has attempts left, without counting one."""
    if not _enabled(ident):
        return True
    key, _expires = _key(scope, ident, window)
    count = RateCounter.objects.filter(key=key).values_list("count", flat=True).first() or 0
    return count < limit


def seconds_left(window: int) -> int:
    """Seconds until the current window of `window` seconds ends and its counts start over."""
    return max(1, math.ceil(window - time.time() % window))


def retry_when(window: int | None = None, *, wait: int | None = None) -> dict:
    """When a client refused under a limit of `window` seconds (or for `wait` seconds, when
    several limits refuse: the longest of their seconds_left) may try again: `retry_after`
    (seconds, for the Retry-After header), `retry_minutes` (whole minutes, at least 1),
    `retry_at` (an aware local datetime) and `retry_text`, the sentence for the page: in
    minutes and a time within the hour, else the time and date (a day-long limit must not
    read "1440 phút (từ 16:05)")."""
    wait = wait if wait is not None else seconds_left(window)
    minutes = max(1, math.ceil(wait / 60))
    at = timezone.localtime() + timedelta(seconds=wait)
    if wait < 3600:
        text = _("Vui lòng thử lại sau %(minutes)d phút (từ %(time)s).") % {
            "minutes": minutes,
            "time": at.strftime("%H:%M"),
        }
    else:
        text = _("Vui lòng thử lại từ %(time)s ngày %(date)s (sau khoảng %(hours)d giờ).") % {
            "time": at.strftime("%H:%M"),
            "date": at.strftime("%d/%m/%Y"),
            "hours": max(1, round(wait / 3600)),
        }
    return {"retry_after": wait, "retry_minutes": minutes, "retry_at": at, "retry_text": text}


def refusal(
    request,
    template: str,
    context: dict | None = None,
    *,
    window: int | None = None,
    wait: int | None = None,
):
    """A 429 page saying when to try again (see retry_when; core/_retry_after.html)."""
    when = retry_when(window, wait=wait)
    response = render(request, template, {**(context or {}), **when}, status=429)
    response["Retry-After"] = str(when["retry_after"])
    return response


def ratelimit_purge() -> int:
    """Delete the counters of windows that have ended."""
    deleted, _ = RateCounter.objects.filter(expires_at__lt=datetime.now(tz=UTC)).delete()
    return deleted
