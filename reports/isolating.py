"""Which cases are isolating now and until when at the earliest, kept per case so that the
count of cases eligible for recovery on any day is a small sum (CommuneIsolationEnd)."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from reports.models import CommuneIsolationEnd, IsolatingCase

CHUNK = 5_000


def chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def known_by_case(model, field: str, case_ids: Iterable[int]) -> dict[int, tuple[int, Any]]:
    """(commune, `field`) of each case that has a row in a one-row-per-case summary model."""
    found = {}
    for chunk in chunks(sorted(set(case_ids))):
        for case_id, commune_id, value in model.objects.filter(case_id__in=chunk).values_list(
            "case_id", "commune_id", field
        ):
            found[case_id] = (commune_id, value)
    return found


def known_isolating(case_ids: Iterable[int]) -> dict[int, tuple[int, date]]:
    return known_by_case(IsolatingCase, "isolation_end", case_ids)


def isolating_write(states: dict[int, tuple[int, date] | None], ancestry: dict) -> None:
    """Set each case's isolating state; the per-date counts change by the differences."""
    if not states:
        return
    old = known_isolating(states)
    deltas: dict[tuple[int, date], int] = defaultdict(int)
    for case_id, new in states.items():
        before = old.get(case_id)
        if before == new:
            continue
        if before is not None:
            deltas[before] -= 1
        if new is not None:
            deltas[new] += 1
    changed = [case_id for case_id, new in states.items() if old.get(case_id) != new]
    for chunk in chunks(changed):
        IsolatingCase.objects.filter(case_id__in=chunk).delete()
    IsolatingCase.objects.bulk_create(
        [
            IsolatingCase(
                case_id=case_id,
                commune_id=states[case_id][0],
                district_id=ancestry[states[case_id][0]][0],
                province_id=ancestry[states[case_id][0]][1],
                isolation_end=states[case_id][1],
            )
            for case_id in changed
            if states[case_id] is not None
        ],
        batch_size=1000,
    )
    _write_counts({key: d for key, d in deltas.items() if d}, ancestry)


def _write_counts(deltas: dict[tuple[int, date], int], ancestry: dict) -> None:
    if not deltas:
        return
    existing = {}
    dates = {d for _, d in deltas}
    for chunk in chunks(sorted({c for c, _ in deltas})):
        for row in CommuneIsolationEnd.objects.filter(
            commune_id__in=chunk, isolation_end__in=dates
        ):
            existing[(row.commune_id, row.isolation_end)] = row
    rows = []
    for (commune, isolation_end), delta in deltas.items():
        row = existing.get((commune, isolation_end))
        if row is None:
            district, province = ancestry[commune]
            row = CommuneIsolationEnd(
                commune_id=commune,
                district_id=district,
                province_id=province,
                isolation_end=isolation_end,
            )
        row.count += delta
        rows.append(row)
    # Read under the summary lock, so writing the new totals is safe.
    CommuneIsolationEnd.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["commune", "isolation_end"],
        update_fields=["count"],
    )
    CommuneIsolationEnd.objects.filter(count=0).delete()
