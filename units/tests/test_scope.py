import pytest

from units.models import Unit
from units.testing import unit


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scope_code", "inside", "outside"),
    [
        ("08", ["08", "070", "02209", "02536"], []),
        ("070", ["070", "02209", "02200"], ["08", "076", "02536"]),
        ("02209", ["02209"], ["02200", "070", "08", "02536"]),
    ],
)
def test_unit_contains_exactly_its_subtree(units, scope_code, inside, outside):
    scope = unit(scope_code)
    for code in inside:
        assert scope.contains(unit(code)), code
    for code in outside:
        assert not scope.contains(unit(code)), code
    within = set(Unit.objects.within(scope).values_list("code", flat=True))
    assert set(inside) <= within
    assert not set(outside) & within
