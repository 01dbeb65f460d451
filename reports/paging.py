"""Keyset pagination: "next page" continues after the last row seen, so page 1,000 costs
what page 1 costs (an OFFSET would read every row before it)."""

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet


@dataclass
class KeysetPage:
    rows: list
    next_cursor: str | None


def _encode(value: datetime, pk: int) -> str:
    raw = json.dumps([value.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, int] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return datetime.fromisoformat(value), int(pk)
    except (ValueError, TypeError, json.JSONDecodeError):
        return None


def keyset_page(queryset: QuerySet, *, field: str, cursor: str | None, size: int) -> KeysetPage:
    """Rows newest first by (`field`, pk), after `cursor` (an unreadable cursor: page 1)."""
    position = _decode(cursor) if cursor else None
    if position is not None:
        value, pk = position
        queryset = queryset.filter(Q(**{f"{field}__lt": value}) | Q(**{field: value, "pk__lt": pk}))
    rows = list(queryset.order_by(f"-{field}", "-pk")[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = _encode(getattr(last, field), last.pk)
    return KeysetPage(rows=rows, next_cursor=next_cursor)
