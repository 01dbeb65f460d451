from django.conf import settings
from django.shortcuts import get_object_or_404

from units.models import Unit


def deployed_unit_set_code() -> str:
    return settings.UNIT_SET


def deployed_province() -> Unit | None:
    """The province this deployment serves (PROVINCE_CODE in UNIT_SET), if loaded."""
    return (
        Unit.objects.filter(
            unit_set__code=settings.UNIT_SET,
            level=Unit.Level.PROVINCE,
            code=settings.PROVINCE_CODE,
        )
        .select_related("unit_set")
        .first()
    )


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
