"""Reads of the api app: keys an administrator sees, case versions, the keyset cursor."""

import base64
from datetime import datetime

from django.db.models import Q, QuerySet

from accounts.models import Role, User
from accounts.selectors import manageable_units
from api.models import ApiToken
from cases.lifecycle import case_etag
from cases.models import Case


def tokens_for(user: User) -> QuerySet[ApiToken]:
    """The keys of the units a system administrator manages, newest first; none for others."""
    if user.role != Role.SYSTEM_ADMIN:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(account__unit__in=manageable_units(user)).select_related(
        "account", "account__unit", "created_by", "revoked_by"
    )


def case_version(case: Case) -> str:
    """The version of a case as an HTTP entity tag: Case.version, which every save of the
    case bumps (the rule is cases.lifecycle's, shared with the pages)."""
    return case_etag(case)


def cursor_encode(case: Case) -> str:
    """An opaque cursor after `case` in (submitted_at, pk) descending order."""
    raw = f"{case.submitted_at.isoformat()}|{case.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[datetime, int] | None:
    """(submitted_at, pk) of a cursor, or None when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, pk = raw.split("|")
        moment = datetime.fromisoformat(at)
        if moment.tzinfo is None:
            return None
        return moment, int(pk)
    except (ValueError, UnicodeDecodeError):
        return None


def after_cursor(cases: QuerySet[Case], position: tuple[datetime, int]) -> QuerySet[Case]:
    """The cases after `position`, newest first: a keyset on (submitted_at, pk), so a case
    declared while a client pages through the list never shifts the pages it has not read
    (new cases come before the first page)."""
    at, pk = position
    return cases.filter(Q(submitted_at__lt=at) | Q(submitted_at=at, pk__lt=pk))
