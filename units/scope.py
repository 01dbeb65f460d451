"""The one scope rule: a user sees the records whose commune lies within the user's unit."""

from django.db.models import Q

from units.models import Unit


def scope_q(unit: Unit | None, prefix: str = "") -> Q:
    """A filter for records carrying `commune`, `district` and `province` fields.

    `prefix` reaches those fields through a relation (`"case__"`). No unit: nothing.
    """
    if unit is None:
        return Q(pk__in=[])
    if unit.level == Unit.Level.PROVINCE:
        return Q(**{f"{prefix}province": unit})
    if unit.level == Unit.Level.DISTRICT:
        return Q(**{f"{prefix}district": unit})
    return Q(**{f"{prefix}commune": unit})


def ancestry_for(commune: Unit) -> dict[str, int | None]:
    """The field values a record placed in `commune` must carry for `scope_q` to find it."""
    return {
        "commune_id": commune.pk,
        "district_id": commune.district_id,
        "province_id": commune.province_id,
    }
