"""Test helpers for administrative units: the Tuyên Quang units loaded once, one by code."""

from units.loading import unit_set_load
from units.models import Unit


def ensure_units(set_code: str = "gso-2021", province: str = "08") -> None:
    """Load the province's units of `set_code` unless they are there already."""
    if not Unit.objects.filter(unit_set__code=set_code, code=province).exists():
        unit_set_load(set_code=set_code, province_codes={province})


def unit(code: str, set_code: str = "gso-2021") -> Unit:
    """The unit with GSO `code` in `set_code` (DoesNotExist when not loaded)."""
    return Unit.objects.get(unit_set__code=set_code, code=code)
