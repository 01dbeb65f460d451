"""Terms in force on the day the system runs, as data or settings (issue 14 item 25), and
unit names in lower case inside a sentence (item 26)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.tests.clock import set_local_clock
from units.selectors import units_cache_clear


@pytest.mark.django_db
def test_the_operating_department_is_a_setting(client, units, settings):
    settings.OPERATOR_NAME = "Sở Khoa học và Công nghệ"
    home = client.get(reverse("core:home")).content.decode()
    login = client.get(reverse("accounts:login")).content.decode()
    for page in (home, login):
        assert "Sở Khoa học và Công nghệ" in page
        assert "Sở Thông tin và Truyền thông" not in page
    settings.OPERATOR_NAME = "Sở Thông tin và Truyền thông"
    assert (
        "Vận hành: Sở Thông tin và Truyền thông"
        in client.get(reverse("core:home")).content.decode()
    )


@pytest.mark.django_db
def test_the_province_is_in_lower_case_inside_a_sentence(client, units):
    page = client.get(reverse("public:declare_start")).content.decode()
    assert "Ủy ban nhân dân tỉnh Tuyên Quang xử lý dữ liệu" in page
    assert "đang ở tại tỉnh Tuyên Quang" in page
    assert "Hệ thống Khai báo F0 của tỉnh Tuyên Quang" in page
    assert "nhân dân Tỉnh" not in page and "tại Tỉnh" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "cited", "not_cited"),
    [
        ("2026-11-29 09:00", "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15", "13/2023/NĐ-CP"),
        ("2024-11-20 09:00", "Nghị định số 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân", "91/2025"),
        ("2022-04-02 09:00", "Luật Phòng, chống bệnh truyền nhiễm năm 2007", "13/2023"),
    ],
)
def test_the_consent_notice_cites_the_law_in_force_that_day(
    client, units, monkeypatch, day, cited, not_cited
):
    set_local_clock(monkeypatch, day)
    page = client.get(reverse("public:declare_start")).content.decode()
    assert f"dữ liệu cá nhân nhạy cảm (sức khỏe) theo {cited}." in page
    assert not_cited not in page


@pytest.mark.django_db
def test_the_public_figures_name_communes_in_a_two_level_unit_set(client, units, settings):
    from units.testing import ensure_units

    assert (
        "Theo huyện, thành phố" in client.get(reverse("reports:public_statistics")).content.decode()
    )
    ensure_units(set_code="gso-2025")
    settings.UNIT_SET = "gso-2025"
    units_cache_clear()
    cache.clear()
    try:
        page = client.get(reverse("reports:public_statistics")).content.decode()
    finally:
        units_cache_clear()
        cache.clear()
    assert "Theo xã, phường" in page
    assert "huyện" not in page.split("Theo xã, phường")[1].split("</table>")[0]
