"""Load a shipped unit set into the database, idempotently."""

import csv
from dataclasses import dataclass

from django.db import transaction

from units.models import Unit, UnitSet
from units.sets import KNOWN_SETS

LEVEL_ORDER = [Unit.Level.PROVINCE, Unit.Level.DISTRICT, Unit.Level.COMMUNE]


@dataclass
class LoadResult:
    unit_set: UnitSet
    created: int
    updated: int


def read_rows(set_code: str, province_codes: set[str] | None = None) -> list[dict[str, str]]:
    with KNOWN_SETS[set_code].path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if province_codes is None:
        return rows
    # Rows come parents first, so a unit is kept when its parent was.
    kept: set[str] = set()
    selected = []
    for row in rows:
        if (
            row["code"] in province_codes
            if row["level"] == "province"
            else row["parent_code"] in kept
        ):
            kept.add(row["code"])
            selected.append(row)
    return selected


@transaction.atomic
def unit_set_load(*, set_code: str, province_codes: set[str] | None = None) -> LoadResult:
    """Create or update the units of `set_code` from its CSV file; running it twice is a no-op.

    `province_codes` limits the load to those provinces and everything under them.
    """
    info = KNOWN_SETS[set_code]
    unit_set, _ = UnitSet.objects.update_or_create(
        code=info.code,
        defaults={
            "name": info.name,
            "has_districts": info.has_districts,
            "valid_from": info.valid_from,
            "valid_to": info.valid_to,
        },
    )
    rows = read_rows(set_code, province_codes)
    existing = {u.code: u for u in Unit.objects.filter(unit_set=unit_set)}
    created = updated = 0
    for level in LEVEL_ORDER:
        new_units, changed = [], []
        for row in rows:
            if row["level"] != level:
                continue
            parent = existing.get(row["parent_code"]) if row["parent_code"] else None
            province = None
            district = None
            if parent is not None:
                province = parent if parent.level == Unit.Level.PROVINCE else parent.province
                district = parent if parent.level == Unit.Level.DISTRICT else None
            values = {
                "level": level,
                "name": row["name"],
                "short_name": row["short_name"],
                "parent": parent,
                "province": province,
                "district": district,
            }
            unit = existing.get(row["code"])
            if unit is None:
                new_units.append(Unit(unit_set=unit_set, code=row["code"], **values))
            elif any(getattr(unit, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(unit, k, v)
                changed.append(unit)
        for unit in Unit.objects.bulk_create(new_units, batch_size=2000):
            existing[unit.code] = unit
        if changed:
            Unit.objects.bulk_update(
                changed,
                ["level", "name", "short_name", "parent", "province", "district"],
                batch_size=2000,
            )
        created += len(new_units)
        updated += len(changed)
    from units.selectors import units_cache_clear

    transaction.on_commit(units_cache_clear)
    units_cache_clear()
    return LoadResult(unit_set=unit_set, created=created, updated=updated)
