"""Reads on the audit trail."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry

# The audit actions that open a person's record, its photos or its documents (written by
# backoffice.views.case, api.v1 and documents.services.document_file_open), with what the
# person reads about each. Lists and reports that show many cases at once are not here.
OPENING_ACTIONS = {
    "case.view": _("Xem hồ sơ"),
    "case.photo_view": _("Xem ảnh trong hồ sơ"),
    "document.preview": _("Xem văn bản"),
    "document.download": _("Tải văn bản"),
    "document.batch_download": _("Tải văn bản (in cả đợt)"),
}
OPENINGS_LIMIT = 200


@dataclass(frozen=True)
class Opening:
    """Officials of one unit and role who opened the record on one day, one after another:
    `what` the ways (record, photo, document), `first` and `last` local times, `count` how
    many times. Never who they are."""

    day: date
    first: datetime
    last: datetime
    unit: str
    role: str
    what: str
    count: int


def record_openings(objects: Iterable[models.Model]) -> list[Opening]:
    """When, by which unit and role, a person's record was opened: the audit entries of
    OPENING_ACTIONS on `objects` (the case and its documents) by an official, newest first,
    those of a day, unit and role that follow one another made one Opening (an official
    looking at the record and its photo in turn is one line, not ten).

    Reads at most OPENINGS_LIMIT entries. The unit and role are the official's account's
    as they are now. For the person's own status page (Vietnam's Law on Personal Data
    Protection, 2025: the right to know how one's data is processed); the person's own
    downloads (no actor) are not listed.
    """
    refs = Q(pk__in=[])
    for obj in objects:
        refs |= Q(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    entries = (
        AuditEntry.objects.filter(refs, action__in=OPENING_ACTIONS, actor__isnull=False)
        .select_related("actor__unit")
        .order_by("-at", "-pk")[:OPENINGS_LIMIT]
    )
    openings: list[Opening] = []
    for entry in entries:
        at = timezone.localtime(entry.at)
        day = timezone.localdate(entry.at)
        actor = entry.actor
        unit = actor.unit.name if actor.unit_id else ""
        role = actor.get_role_display()
        what = str(OPENING_ACTIONS[entry.action])
        last = openings[-1] if openings else None
        if last and (last.day, last.unit, last.role) == (day, unit, role):
            # Newest first: an earlier way of opening goes in front.
            ways = last.what.split(", ")
            if what.lower() not in (way.lower() for way in ways):
                ways = [what, ways[0][0].lower() + ways[0][1:], *ways[1:]]
            openings[-1] = Opening(
                day=last.day,
                first=at,
                last=last.last,
                unit=unit,
                role=role,
                what=", ".join(ways),
                count=last.count + 1,
            )
        else:
            openings.append(
                Opening(day=day, first=at, last=at, unit=unit, role=role, what=what, count=1)
            )
    return openings
