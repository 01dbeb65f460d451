"""Fold case events into the summary tables, incrementally, after a watermark on CaseEvent.pk.

cases.services writes a CaseEvent for every change in the same transaction as the change,
so the events are the one complete, ordered record to derive figures from; nothing here
hooks into the services. A refresh takes the events with pk above the watermark, works out
for each the commune the case belonged to at that moment, adds their effects to
CommuneDay / CommuneStatus / PendingDecision, and moves the watermark, all in one
transaction under a lock on the SummaryState row, so every event counts exactly once.

On PostgreSQL a transaction may take pk 100 and commit after another took pk 101; pks
skipped this way are kept as gaps and looked at again on every refresh until they appear
or REPORTS_GAP_SECONDS pass (a rolled-back insert never appears).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cases.choices import EventKind
from cases.models import Case, CaseEvent
from core.replica import primary_reads
from reports.facts import Accumulator, Fact
from reports.isolating import chunks, isolating_write, known_by_case, known_isolating
from reports.models import (
    FLOW_FIELDS,
    MAX_FIELDS,
    WAIT_FIELDS,
    CommuneDay,
    CommuneIsolationEnd,
    CommuneStatus,
    IsolatingCase,
    PendingDecision,
    SummaryState,
)
from units.models import Unit

BATCH_SIZE = 20_000
MAX_GAP_RANGES = 1_000

# documents.services records {"document_id", "kind", "number"} with each issued document;
# only an isolation decision ends a decision wait (other names are read as a fallback).
DOCUMENT_TYPE_KEYS = ("kind", "document_type", "document_kind", "type")


def gap_seconds() -> int:
    return int(getattr(settings, "REPORTS_GAP_SECONDS", 3600))


# Writing ---------------------------------------------------------------------------------


def _ancestry(commune_ids: set[int]) -> dict[int, tuple[int | None, int]]:
    found: dict[int, tuple[int | None, int]] = {}
    for chunk in chunks(sorted(commune_ids)):
        for pk, district_id, province_id in Unit.objects.filter(pk__in=chunk).values_list(
            "pk", "district_id", "province_id"
        ):
            found[pk] = (district_id, province_id)
    return found


def accumulator_write(acc: Accumulator) -> None:
    """Add the accumulated effects to the summary tables (inside the caller's transaction)."""
    communes = {c for c, _ in acc.days} | {c for c, _, _ in acc.stock}
    communes |= {p[0] for p in acc.pending.values() if p is not None}
    communes |= {i[0] for i in acc.isolating.values() if i is not None}
    ancestry = _ancestry(communes)
    _write_days(acc, ancestry)
    _write_stock(acc, ancestry)
    _write_pending(acc, ancestry)
    isolating_write(acc.isolating, ancestry)


def _write_days(acc: Accumulator, ancestry) -> None:
    if not acc.days:
        return
    days = {d for _, d in acc.days}
    existing: dict[tuple[int, date], CommuneDay] = {}
    for chunk in chunks(sorted({c for c, _ in acc.days})):
        for row in CommuneDay.objects.filter(commune_id__in=chunk, day__in=days):
            existing[(row.commune_id, row.day)] = row
    created, updated = [], []
    for (commune, day), values in acc.days.items():
        row = existing.get((commune, day))
        if row is None:
            district, province = ancestry[commune]
            row = CommuneDay(
                commune_id=commune, district_id=district, province_id=province, day=day
            )
            created.append(row)
        else:
            updated.append(row)
        for name, value in values.items():
            current = getattr(row, name)
            setattr(row, name, max(current, value) if name in MAX_FIELDS else current + value)
    # The rows were read under the summary lock, so writing the new totals is safe; an
    # upsert is much faster than bulk_update's CASE expressions.
    CommuneDay.objects.bulk_create(
        created + updated,
        batch_size=250,
        update_conflicts=True,
        unique_fields=["commune", "day"],
        update_fields=[*FLOW_FIELDS, *WAIT_FIELDS, *MAX_FIELDS],
    )


def _write_stock(acc: Accumulator, ancestry) -> None:
    changes = {key: delta for key, delta in acc.stock.items() if delta}
    if not changes:
        return
    existing = {}
    for chunk in chunks(sorted({c for c, _, _ in changes})):
        for row in CommuneStatus.objects.filter(commune_id__in=chunk):
            existing[(row.commune_id, row.status, row.outcome)] = row
    created, updated = [], []
    for (commune, status, outcome), delta in changes.items():
        row = existing.get((commune, status, outcome))
        if row is None:
            district, province = ancestry[commune]
            row = CommuneStatus(
                commune_id=commune,
                district_id=district,
                province_id=province,
                status=status,
                outcome=outcome,
            )
            created.append(row)
        else:
            updated.append(row)
        row.count += delta
    CommuneStatus.objects.bulk_create(
        created + updated,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["commune", "status", "outcome"],
        update_fields=["count"],
    )


def _write_pending(acc: Accumulator, ancestry) -> None:
    if not acc.pending:
        return
    for chunk in chunks(list(acc.pending)):
        PendingDecision.objects.filter(case_id__in=chunk).delete()
    rows = []
    for case_id, waiting in acc.pending.items():
        if waiting is None:
            continue
        commune, since = waiting
        district, province = ancestry[commune]
        rows.append(
            PendingDecision(
                case_id=case_id,
                commune_id=commune,
                district_id=district,
                province_id=province,
                since=since,
            )
        )
    PendingDecision.objects.bulk_create(rows, batch_size=1000)


# Reading events --------------------------------------------------------------------------

EVENT_FIELDS = ("pk", "case_id", "kind", "at", "from_status", "to_status", "data")


def _document_type(data: dict) -> str:
    for key in DOCUMENT_TYPE_KEYS:
        if isinstance(data.get(key), str):
            return data[key]
    return ""


def facts_from_events(rows: list[tuple]) -> list[Fact]:
    """Facts for event rows (EVENT_FIELDS), with the commune each case was in at the time."""
    case_ids = sorted({row[1] for row in rows})
    cases: dict[int, tuple[int, datetime, date]] = {}
    transfers: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for chunk in chunks(case_ids):
        for pk, commune_id, submitted_at, isolation_end in Case.objects.filter(
            pk__in=chunk
        ).values_list("pk", "commune_id", "submitted_at", "isolation_end"):
            cases[pk] = (commune_id, submitted_at, isolation_end)
        for case_id, pk, data in (
            CaseEvent.objects.filter(case_id__in=chunk, kind=EventKind.TRANSFERRED)
            .order_by("pk")
            .values_list("case_id", "pk", "data")
        ):
            transfers[case_id].append((pk, data.get("from_commune_id")))

    def commune_at(case_id: int, event_pk: int) -> int:
        # Where the case was when the event happened: where the next transfer took it
        # from, or where it is now.
        for transfer_pk, from_commune in transfers.get(case_id, ()):
            if transfer_pk > event_pk and from_commune:
                return from_commune
        return cases[case_id][0]

    facts = []
    for pk, case_id, kind, at, from_status, to_status, data in rows:
        if case_id not in cases:  # deleted meanwhile, with its events
            continue
        data = data or {}
        if kind == EventKind.TRANSFERRED:
            before, after = data.get("from_commune_id"), data.get("to_commune_id")
        elif kind in (EventKind.DECLARED, EventKind.ENROLLED):
            before, after = None, data.get("commune_id") or commune_at(case_id, pk)
        else:
            before = after = commune_at(case_id, pk)
        facts.append(
            Fact(
                pk=pk,
                case_id=case_id,
                kind=kind,
                at=at,
                from_status=from_status,
                to_status=to_status,
                commune_before=before,
                commune_after=after,
                outcome=data.get("outcome", "") if kind == EventKind.CLOSED else "",
                submitted_at=cases[case_id][1],
                document_type=_document_type(data) if kind == EventKind.DOCUMENT_ISSUED else "",
                isolation_end=cases[case_id][2],
            )
        )
    return facts


def known_pending(case_ids: Iterable[int]) -> dict[int, tuple[int, datetime]]:
    return known_by_case(PendingDecision, "since", case_ids)


# Refreshing ------------------------------------------------------------------------------


@dataclass
class RefreshResult:
    processed: int = 0
    more: bool = False
    skipped: bool = False


def state_lock(*, wait: bool = True) -> SummaryState | None:
    """The state row, locked for this transaction; None if another refresh holds it."""
    SummaryState.objects.get_or_create(pk=1)
    query = SummaryState.objects.filter(pk=1)
    if connection.features.has_select_for_update:
        skip = not wait and connection.features.has_select_for_update_skip_locked
        query = query.select_for_update(skip_locked=skip)
    return query.first()


def _gap_query(gaps: list) -> Q:
    q = Q(pk__in=[])
    for low, high, _seen in gaps:
        q |= Q(pk__gte=low, pk__lte=high)
    return q


def _updated_gaps(gaps: list, found: set[int], watermark: int, pks: list[int], now) -> list:
    """Gap ranges minus the pks found, plus the holes in this run, minus the expired ones."""
    result = []
    for low, high, seen in gaps:
        start = low
        for pk in sorted(p for p in found if low <= p <= high):
            if pk > start:
                result.append([start, pk - 1, seen])
            start = pk + 1
        if start <= high:
            result.append([start, high, seen])
    expected = watermark + 1
    stamp = now.isoformat()
    for pk in pks:
        if pk > expected:
            result.append([expected, pk - 1, stamp])
        expected = pk + 1
    cutoff = now - timedelta(seconds=gap_seconds())
    result = [g for g in result if datetime.fromisoformat(g[2]) >= cutoff]
    return result[-MAX_GAP_RANGES:]


def refresh_locked(state: SummaryState, *, limit: int = BATCH_SIZE) -> RefreshResult:
    """Fold up to `limit` new events (and any that filled a gap) into the summaries."""
    now = timezone.now()
    gap_rows = []
    if state.gaps:
        gap_rows = list(
            CaseEvent.objects.filter(_gap_query(state.gaps), pk__lte=state.watermark)
            .order_by("pk")
            .values_list(*EVENT_FIELDS)
        )
    rows = list(
        CaseEvent.objects.filter(pk__gt=state.watermark)
        .order_by("pk")
        .values_list(*EVENT_FIELDS)[:limit]
    )
    all_rows = gap_rows + rows
    if all_rows:
        facts = facts_from_events(all_rows)
        case_ids = {f.case_id for f in facts}
        acc = Accumulator(known_pending(case_ids), known_isolating(case_ids))
        for fact in facts:
            acc.add(fact)
        accumulator_write(acc)
    pks = [row[0] for row in rows]
    more = len(rows) == limit
    state.gaps = _updated_gaps(state.gaps, {r[0] for r in gap_rows}, state.watermark, pks, now)
    if pks:
        state.watermark = pks[-1]
    state.fresh_as_of = rows[-1][3] if more else now
    state.refreshed_at = now
    state.save()
    return RefreshResult(processed=len(all_rows), more=more)


def summaries_refresh(*, max_events: int | None = None, wait: bool = True) -> RefreshResult:
    """Bring the summaries up to date, one batch per transaction; at most `max_events`.

    Everything it reads comes from the primary, even when called from a page that reads a
    replica: it adds to the figures it reads, so it must read what it writes to."""
    with primary_reads():
        return _refresh(max_events=max_events, wait=wait)


def _refresh(*, max_events: int | None, wait: bool) -> RefreshResult:
    total = RefreshResult()
    while True:
        limit = BATCH_SIZE if max_events is None else min(BATCH_SIZE, max_events - total.processed)
        with transaction.atomic():
            state = state_lock(wait=wait)
            if state is None:
                return RefreshResult(processed=total.processed, skipped=True)
            result = refresh_locked(state, limit=max(1, limit))
        total.processed += result.processed
        total.more = result.more
        if not result.more or (max_events is not None and total.processed >= max_events):
            return total


@primary_reads()
@transaction.atomic
def summaries_rebuild() -> RefreshResult:
    """Recompute every summary from the events (readers see the old figures until commit)."""
    state = state_lock()
    CommuneDay.objects.all().delete()
    CommuneStatus.objects.all().delete()
    PendingDecision.objects.all().delete()
    IsolatingCase.objects.all().delete()
    CommuneIsolationEnd.objects.all().delete()
    state.watermark = 0
    state.gaps = []
    total = RefreshResult()
    while True:
        result = refresh_locked(state)
        total.processed += result.processed
        if not result.more:
            return total
