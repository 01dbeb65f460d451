import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.shortcuts import get_object_or_404

from units.models import Unit

# Units change only when `load_units` runs (which clears this); every page and form needs
# them, so each process keeps what it read. A new unit list takes effect on restart.
_cache: dict[tuple, Any] = {}
_cache_lock = threading.Lock()


def units_cache_clear() -> None:
    with _cache_lock:
        _cache.clear()


def _cached(key: tuple, build: Callable[[], Any]) -> Any:
    key = (settings.UNIT_SET, settings.PROVINCE_CODE, *key)
    if key in _cache:
        return _cache[key]
    value = build()
    if value:  # never remember "not loaded yet"
        with _cache_lock:
            _cache[key] = value
    return value


def deployed_unit_set_code() -> str:
    return settings.UNIT_SET


def deployed_province() -> Unit | None:
    """The province this deployment serves (PROVINCE_CODE in UNIT_SET), if loaded."""
    return _cached(
        ("province",),
        lambda: (
            Unit.objects.filter(
                unit_set__code=settings.UNIT_SET,
                level=Unit.Level.PROVINCE,
                code=settings.PROVINCE_CODE,
            )
            .select_related("unit_set")
            .first()
        ),
    )


def province_districts(province: Unit) -> list[Unit]:
    """The districts of a province (none in a two-level unit set), by code."""
    return (
        _cached(
            ("districts", province.pk),
            lambda: list(
                Unit.objects.filter(parent=province, level=Unit.Level.DISTRICT).order_by("code")
            ),
        )
        or []
    )


def province_communes(province: Unit) -> list[Unit]:
    """The communes of a province with their district, ordered by district then code."""
    return (
        _cached(
            ("communes", province.pk),
            lambda: list(
                Unit.objects.filter(province=province, level=Unit.Level.COMMUNE)
                .select_related("district")
                .order_by("district__code", "code")
            ),
        )
        or []
    )


def commune_of_province(province: Unit | None, pk: int | None) -> Unit | None:
    """The commune `pk` if it lies in `province` (from the per-process unit cache)."""
    if province is None or pk is None:
        return None
    by_pk = _cached(
        ("communes_by_pk", province.pk), lambda: {c.pk: c for c in province_communes(province)}
    )
    return (by_pk or {}).get(pk)


def commune_choices(province: Unit | None, *, exclude: int | None = None) -> list:
    """<select> choices of the province's communes, grouped by district where there are
    districts, with an empty prompt first."""
    from django.utils.translation import gettext as _

    if province is None:
        return []
    groups: dict[str, list] = {}
    flat = []
    for commune in province_communes(province):
        if commune.pk == exclude:
            continue
        if commune.district_id:
            groups.setdefault(commune.district.name, []).append((commune.pk, commune.name))
        else:
            flat.append((commune.pk, commune.name))
    empty = [("", _("Chọn xã, phường"))]
    return empty + (list(groups.items()) if groups else flat)


def deployed_units():
    """Every unit of the deployed province in the deployed set."""
    province = deployed_province()
    if province is None:
        return Unit.objects.none()
    return Unit.objects.within(province)


def children_of(unit: Unit):
    return unit.children.order_by("code")


def get_unit_within(ancestor: Unit, pk: int) -> Unit:
    """A unit inside `ancestor` (or `ancestor` itself); 404 for any other."""
    return get_object_or_404(Unit.objects.within(ancestor).select_related("parent"), pk=pk)
