"""How long cases wait for the commune, per commune, and which cases are overdue.

- Review wait: from the declaration (submitted_at) to its acceptance or rejection; the
  finished waits come from the summaries (per day, in buckets), the current ones from the
  cases awaiting review.
- Decision wait: from acceptance to the first isolation decision issued after it (a
  `document_issued` CaseEvent); current ones from PendingDecision.
- A commune is behind when a declaration or a decision has been waiting longer than
  REVIEW_OVERDUE_HOURS now, or when its finished reviews of the period took longer than
  that on average.
- Overdue recovery: isolating cases past their earliest recovery date (isolation_end
  earlier than today) with no recovery confirmation (from IsolatingCase).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Min, OuterRef, Prefetch, Q, Subquery, Sum
from django.utils import timezone

from cases.choices import AWAITING_REVIEW
from cases.models import Case
from reports.models import (
    WAIT_BUCKETS_HOURS,
    CommuneDay,
    CommuneIsolationEnd,
    CommuneStatus,
    IsolatingCase,
    PendingDecision,
)
from units.models import Unit
from units.scope import scope_q

DEFAULT_OVERDUE_HOURS = 24
LIST_FIELDS = ("tracking_code", "submitted_at", "isolation_end", "commune__name")


def overdue_hours() -> int:
    return int(getattr(settings, "REVIEW_OVERDUE_HOURS", DEFAULT_OVERDUE_HOURS))


def bucket_hours() -> int:
    """The wait bucket used for "within the target": the largest not above the setting."""
    hours = overdue_hours()
    fitting = [h for h in WAIT_BUCKETS_HOURS if h <= hours]
    return max(fitting) if fitting else WAIT_BUCKETS_HOURS[0]


@dataclass
class Waits:
    count: int = 0
    seconds: int = 0
    max_seconds: int = 0
    within: int = 0

    @property
    def mean_hours(self) -> float | None:
        return self.seconds / self.count / 3600 if self.count else None

    @property
    def max_hours(self) -> float | None:
        return self.max_seconds / 3600 if self.count else None

    @property
    def within_percent(self) -> int | None:
        return round(100 * self.within / self.count) if self.count else None


@dataclass
class CommuneLevel:
    commune: Unit
    reviews: Waits
    decisions: Waits
    awaiting: int = 0
    awaiting_overdue: int = 0
    oldest_awaiting: datetime | None = None
    pending_decisions: int = 0
    decisions_overdue: int = 0
    oldest_pending_decision: datetime | None = None
    recovery_overdue: int = 0

    @property
    def behind(self) -> bool:
        mean = self.reviews.mean_hours
        return bool(
            self.awaiting_overdue
            or self.decisions_overdue
            or (mean is not None and mean > overdue_hours())
        )


def service_levels(unit: Unit, *, start: date, end: date) -> list[CommuneLevel]:
    """One row per commune inside `unit`; communes behind first, then by code."""
    now = timezone.now()
    today = timezone.localdate()
    cutoff = now - timedelta(hours=overdue_hours())
    bucket = bucket_hours()
    communes = list(Unit.objects.within(unit).filter(level=Unit.Level.COMMUNE).order_by("code"))
    rows = {c.pk: CommuneLevel(commune=c, reviews=Waits(), decisions=Waits()) for c in communes}
    for values in (
        CommuneDay.objects.filter(scope_q(unit), day__gte=start, day__lte=end)
        .values("commune_id")
        .annotate(
            rc=Sum("review_count"),
            rs=Sum("review_seconds"),
            rm=Max("review_max_seconds"),
            rw=Sum(f"review_within_{bucket}h"),
            dc=Sum("decision_count"),
            ds=Sum("decision_seconds"),
            dm=Max("decision_max_seconds"),
            dw=Sum(f"decision_within_{bucket}h"),
        )
    ):
        row = rows.get(values["commune_id"])
        if row is None:
            continue
        row.reviews = Waits(values["rc"], values["rs"], values["rm"], values["rw"])
        row.decisions = Waits(values["dc"], values["ds"], values["dm"], values["dw"])
    # Cases awaiting review, without walking them (a hundred thousand at 10 million cases):
    # how many from CommuneStatus (caught up by the page, reports.freshness); the overdue
    # ones from the range of the (unit, status, submitted_at) index before the cutoff; the
    # oldest of each commune from one seek per status, inside one query.
    for commune_id, n in (
        CommuneStatus.objects.filter(scope_q(unit), status__in=AWAITING_REVIEW)
        .values("commune_id")
        .annotate(n=Sum("count"))
        .values_list("commune_id", "n")
    ):
        if row := rows.get(commune_id):
            row.awaiting = n
    for commune_id, n in (
        Case.objects.filter(scope_q(unit), status__in=AWAITING_REVIEW, submitted_at__lt=cutoff)
        .values("commune_id")
        .annotate(n=Count("pk"))
        .values_list("commune_id", "n")
    ):
        if row := rows.get(commune_id):
            row.awaiting_overdue = n
    waiting = [pk for pk, row in rows.items() if row.awaiting or row.awaiting_overdue]
    oldest = {
        f"oldest_{status}": Subquery(
            Case.objects.filter(commune=OuterRef("pk"), status=status)
            .order_by("submitted_at")
            .values("submitted_at")[:1]
        )
        for status in AWAITING_REVIEW
    }
    for values in Unit.objects.filter(pk__in=waiting).annotate(**oldest).values("pk", *oldest):
        found = [values[name] for name in oldest if values[name] is not None]
        rows[values["pk"]].oldest_awaiting = min(found, default=None)
    for values in (
        PendingDecision.objects.filter(scope_q(unit))
        .values("commune_id")
        .annotate(
            n=Count("pk"), oldest=Min("since"), overdue=Count("pk", filter=Q(since__lt=cutoff))
        )
    ):
        if row := rows.get(values["commune_id"]):
            row.pending_decisions, row.oldest_pending_decision = values["n"], values["oldest"]
            row.decisions_overdue = values["overdue"]
    for commune_id, n in (
        CommuneIsolationEnd.objects.filter(scope_q(unit), isolation_end__lt=today)
        .values("commune_id")
        .annotate(n=Sum("count"))
        .values_list("commune_id", "n")
    ):
        if row := rows.get(commune_id):
            row.recovery_overdue = n
    return sorted(rows.values(), key=lambda r: (not r.behind, r.commune.code))


def overdue_reviews(unit: Unit, *, limit: int) -> tuple[list[Case], int]:
    """Declarations awaiting review for more than REVIEW_OVERDUE_HOURS, oldest first.

    One query per status, so that each walks (unit, status, submitted_at) from its oldest
    entry; a single IN query may be planned over (unit, submitted_at) and read every case.
    """
    cutoff = timezone.now() - timedelta(hours=overdue_hours())
    rows, total = [], 0
    for status in AWAITING_REVIEW:
        query = Case.objects.filter(scope_q(unit), status=status, submitted_at__lt=cutoff)
        listed = query.select_related("commune").only(*LIST_FIELDS)
        rows += list(listed.order_by("submitted_at", "pk")[:limit])
        total += query.count()
    rows.sort(key=lambda c: (c.submitted_at, c.pk))
    return rows[:limit], total


def overdue_decisions(unit: Unit):
    cutoff = timezone.now() - timedelta(hours=overdue_hours())
    return (
        PendingDecision.objects.filter(scope_q(unit), since__lt=cutoff)
        .select_related("case", "commune")
        .only("since", "case__tracking_code", "commune__name")
        .order_by("since", "pk")
    )


def overdue_recoveries(unit: Unit, *, limit: int) -> tuple[list[IsolatingCase], int]:
    """Isolating cases past their earliest recovery date, unconfirmed, longest first."""
    today = timezone.localdate()
    rows = list(
        IsolatingCase.objects.filter(scope_q(unit), isolation_end__lt=today)
        .select_related("commune")
        # The cases' codes by primary key afterwards: joined in the ordered query, the case
        # table made PostgreSQL hash the whole province's rows (140 ms at 10 million).
        .prefetch_related(Prefetch("case", queryset=Case.objects.only("tracking_code")))
        .only("isolation_end", "case", "commune__name")
        .order_by("isolation_end", "pk")[:limit]
    )
    total = (
        CommuneIsolationEnd.objects.filter(scope_q(unit), isolation_end__lt=today).aggregate(
            n=Sum("count")
        )["n"]
        or 0
    )
    return rows, total
