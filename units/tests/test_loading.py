import csv
from collections import Counter

import pytest
from django.core.management import call_command

from units.loading import unit_set_load
from units.models import Unit
from units.sets import KNOWN_SETS


@pytest.mark.django_db
def test_2021_set_has_tuyen_quang_with_7_districts_and_138_communes():
    result = unit_set_load(set_code="gso-2021")
    tq = Unit.objects.get(unit_set=result.unit_set, code="08")
    assert tq.name == "Tỉnh Tuyên Quang"
    districts = Unit.objects.filter(parent=tq).order_by("code")
    assert [(d.code, d.short_name) for d in districts] == [
        ("070", "Tuyên Quang"),
        ("071", "Lâm Bình"),
        ("072", "Na Hang"),
        ("073", "Chiêm Hóa"),
        ("074", "Hàm Yên"),
        ("075", "Yên Sơn"),
        ("076", "Sơn Dương"),
    ]
    communes = Unit.objects.filter(province=tq, level=Unit.Level.COMMUNE)
    assert communes.count() == 138
    per_district = Counter(communes.values_list("district__code", flat=True))
    assert per_district == {
        "070": 15,
        "071": 8,
        "072": 12,
        "073": 26,
        "074": 18,
        "075": 28,
        "076": 31,
    }
    trang_da = Unit.objects.get(unit_set=result.unit_set, code="02209")
    assert (trang_da.name, trang_da.district.code, trang_da.province.code) == (
        "Xã Tràng Đà",
        "070",
        "08",
    )
    assert Unit.objects.filter(unit_set=result.unit_set, level="province").count() == 63


@pytest.mark.django_db
def test_2025_two_level_set_loads_without_districts():
    result = unit_set_load(set_code="gso-2025")
    assert not result.unit_set.has_districts
    units = Unit.objects.filter(unit_set=result.unit_set)
    assert units.filter(level=Unit.Level.PROVINCE).count() == 34
    assert not units.filter(level=Unit.Level.DISTRICT).exists()
    tq = units.get(code="08")
    communes = units.filter(province=tq)
    assert communes.count() == 124
    assert all(c.parent_id == tq.pk and c.district_id is None for c in communes)


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_keeps_sets_apart():
    first = unit_set_load(set_code="gso-2021", province_codes={"08"})
    assert first.created == 1 + 7 + 138
    again = unit_set_load(set_code="gso-2021", province_codes={"08"})
    assert (again.created, again.updated) == (0, 0)
    unit_set_load(set_code="gso-2025", province_codes={"08"})
    # The same GSO code may name different units in the two sets; both are kept.
    assert Unit.objects.filter(code="08").count() == 2


@pytest.mark.django_db
def test_load_units_command_loads_the_deployed_set(settings, capsys):
    settings.UNIT_SET = "gso-2021"
    call_command("load_units", province=["08"])
    assert "146 units created" in capsys.readouterr().out


def test_shipped_files_are_ordered_parents_first():
    for info in KNOWN_SETS.values():
        with info.path.open(encoding="utf-8") as fh:
            seen = set()
            for row in csv.DictReader(fh):
                assert not row["parent_code"] or row["parent_code"] in seen, row
                seen.add(row["code"])
