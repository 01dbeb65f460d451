"""What each case event does to the figures, worked out in memory before it is written.

Used by the incremental refresh (facts read back from CaseEvent rows) and by the synthetic
case generator (facts it makes itself), so both give the same summaries.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from cases.choices import AWAITING_REVIEW, ISOLATING, EventKind, Outcome, Status
from reports.models import WAIT_BUCKETS_HOURS

STATUS_KINDS = frozenset(
    {
        EventKind.DECLARED,
        EventKind.ENROLLED,
        EventKind.ACCEPTED,
        EventKind.REJECTED,
        EventKind.TRANSFERRED,
        EventKind.RECOVERY_REQUESTED,
        EventKind.RECOVERY_CONFIRMED,
        EventKind.RECOVERY_REFUSED,
        EventKind.CLOSED,
    }
)
# Kinds that end the wait for an isolation decision without one.
DECISION_WAIT_ENDS = frozenset(
    {EventKind.TRANSFERRED, EventKind.RECOVERY_CONFIRMED, EventKind.CLOSED}
)
CLOSED_OUTCOME_FIELD = {
    Outcome.HOSPITALISED: "hospitalised",
    Outcome.DIED: "died",
    Outcome.MOVED_AWAY: "moved_away",
}


@dataclass(slots=True)
class Fact:
    """One event with what the summaries need: where the case was before and after it."""

    pk: int
    case_id: int
    kind: str
    at: datetime
    from_status: str
    to_status: str
    commune_before: int | None
    commune_after: int | None
    outcome: str = ""
    submitted_at: datetime | None = None
    document_type: str = ""
    # The case's earliest recovery date as it stands now (corrections may change it).
    isolation_end: date | None = None


def is_isolation_decision(document_type: str) -> bool:
    return "recovery" not in document_type


class Accumulator:
    """Effects of a run of facts, in pk order, before they are written."""

    def __init__(
        self,
        known_pending: dict[int, tuple[int, datetime]] | None = None,
        known_isolating: dict[int, tuple[int, date]] | None = None,
    ):
        self.days: dict[tuple[int, date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.stock: dict[tuple[int, str, str], int] = defaultdict(int)
        # case id -> (commune, accepted at) while waiting for a decision; None once it ends.
        self.pending: dict[int, tuple[int, datetime] | None] = {}
        self._known_pending = known_pending or {}
        # case id -> (commune, isolation_end) while isolating; None once it stops.
        self.isolating: dict[int, tuple[int, date] | None] = {}
        self._known_isolating = known_isolating or {}
        self._tz = timezone.get_current_timezone()

    def _pending_of(self, case_id: int) -> tuple[int, datetime] | None:
        if case_id in self.pending:
            return self.pending[case_id]
        return self._known_pending.get(case_id)

    def _wait(self, commune: int, day: date, prefix: str, seconds: float) -> None:
        seconds = max(0, int(seconds))
        row = self.days[(commune, day)]
        row[f"{prefix}_count"] += 1
        row[f"{prefix}_seconds"] += seconds
        row[f"{prefix}_max_seconds"] = max(row[f"{prefix}_max_seconds"], seconds)
        for hours in WAIT_BUCKETS_HOURS:
            if seconds <= hours * 3600:
                row[f"{prefix}_within_{hours}h"] += 1

    def _count(self, commune: int | None, day: date, name: str) -> None:
        if commune is not None:
            self.days[(commune, day)][name] += 1

    def add(self, fact: Fact) -> None:
        kind, before, after = fact.kind, fact.commune_before, fact.commune_after
        day = fact.at.astimezone(self._tz).date()
        if kind in (EventKind.DECLARED, EventKind.ENROLLED):
            self._count(after, day, "declared")
        elif kind in (EventKind.ACCEPTED, EventKind.REJECTED):
            self._count(before, day, "accepted" if kind == EventKind.ACCEPTED else "rejected")
            if fact.submitted_at is not None and before is not None:
                self._wait(before, day, "review", (fact.at - fact.submitted_at).total_seconds())
            if kind == EventKind.ACCEPTED and after is not None:
                self.pending[fact.case_id] = (after, fact.at)
        elif kind == EventKind.TRANSFERRED:
            self._count(before, day, "transferred_out")
            self._count(after, day, "transferred_in")
        elif kind == EventKind.RECOVERY_REQUESTED:
            self._count(before, day, "recovery_requested")
        elif kind == EventKind.RECOVERY_CONFIRMED:
            self._count(before, day, "recovered")
        elif kind == EventKind.CLOSED and fact.outcome in CLOSED_OUTCOME_FIELD:
            self._count(before, day, CLOSED_OUTCOME_FIELD[fact.outcome])
        elif kind == EventKind.DOCUMENT_ISSUED and is_isolation_decision(fact.document_type):
            waiting = self._pending_of(fact.case_id)
            if waiting is not None:
                commune, since = waiting
                self._wait(commune, day, "decision", (fact.at - since).total_seconds())
                self.pending[fact.case_id] = None
        if kind in DECISION_WAIT_ENDS and self._pending_of(fact.case_id) is not None:
            self.pending[fact.case_id] = None
        if kind in STATUS_KINDS:
            self._move(fact, day)
            if fact.to_status in ISOLATING and after is not None:
                self.isolating[fact.case_id] = (after, fact.isolation_end)
            elif fact.from_status in ISOLATING:
                self.isolating[fact.case_id] = None
        elif kind == EventKind.CORRECTED:
            current = self._isolating_of(fact.case_id)
            if current is not None:
                self.isolating[fact.case_id] = (current[0], fact.isolation_end)

    def _isolating_of(self, case_id: int) -> tuple[int, date] | None:
        if case_id in self.isolating:
            return self.isolating[case_id]
        return self._known_isolating.get(case_id)

    def _move(self, fact: Fact, day: date) -> None:
        """The case leaves (commune_before, from_status) and enters (commune_after, to_status)."""
        if fact.from_status and fact.commune_before is not None:
            self.stock[(fact.commune_before, fact.from_status, "")] -= 1
            if fact.from_status in AWAITING_REVIEW:
                self.days[(fact.commune_before, day)]["awaiting_delta"] -= 1
            if fact.from_status in ISOLATING:
                self.days[(fact.commune_before, day)]["isolating_delta"] -= 1
        if fact.to_status and fact.commune_after is not None:
            outcome = fact.outcome if fact.to_status == Status.CLOSED else ""
            self.stock[(fact.commune_after, fact.to_status, outcome)] += 1
            if fact.to_status in AWAITING_REVIEW:
                self.days[(fact.commune_after, day)]["awaiting_delta"] += 1
            if fact.to_status in ISOLATING:
                self.days[(fact.commune_after, day)]["isolating_delta"] += 1
