import re

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from cases.choices import Status
from cases.testing import make_case


def dashboard_url(unit):
    return reverse("reports:unit_dashboard", args=[unit.pk])


@pytest.mark.django_db
def test_each_official_lands_on_the_dashboard_of_their_own_unit(
    client, login, scenario, province_health, district_staff, officer_a
):
    for user, name in (
        (province_health, "Tỉnh Tuyên Quang"),
        (district_staff, "Thành phố Tuyên Quang"),
        (officer_a, "Xã Tràng Đà"),
    ):
        login(user)
        response = client.get(reverse("reports:dashboard"))
        assert response.status_code == 200
        assert f"Theo dõi: {name}" in response.content.decode()


@pytest.mark.django_db
def test_the_page_shows_the_figures_and_the_child_units(client, login, scenario, district_staff):
    login(district_staff)
    page = client.get(reverse("reports:dashboard")).content.decode()
    # Thành phố Tuyên Quang: 3 + 1 awaiting (A and A2), 5 + 1 isolating.
    assert re.search(r"Chờ xã tiếp nhận</span><span class=\"stat__value\">4<", page)
    assert re.search(r"Đang cách ly</span><span class=\"stat__value\">6<", page)
    assert "Xã Tràng Đà" in page and "Phường Phan Thiết" in page
    assert "Thị trấn Sơn Dương" not in page
    assert (
        "<svg" in page
        and "<title" in page
        and "<script" not in page.split("<footer")[0].split("<main")[1]
    )
    assert "<caption>" in page and 'scope="col"' in page


@pytest.mark.django_db
def test_drill_down_goes_to_a_commune_and_its_case_list(
    client, login, scenario, province_health, commune_a
):
    login(province_health)
    district_page = client.get(dashboard_url(commune_a.district)).content.decode()
    assert dashboard_url(commune_a) in district_page
    commune_page = client.get(dashboard_url(commune_a)).content.decode()
    cases_url = reverse("reports:case_list", args=[commune_a.pk])
    assert cases_url in commune_page
    cases_page = client.get(cases_url + "?loc=all")
    assert cases_page.status_code == 200
    html = cases_page.content.decode()
    assert html.count("TQ-") >= 10
    # Phones are masked in the list.
    assert not re.search(r"09\d{8}", html)
    assert AuditEntry.objects.filter(action="report.case_list_viewed").exists()


@pytest.mark.django_db
def test_a_commune_user_gets_the_back_office_inbox_as_case_list(client, login, scenario, officer_a):
    login(officer_a)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert 'href="/office/"' in page


@pytest.mark.django_db
def test_breadcrumbs_stop_at_the_users_own_unit(client, login, scenario, district_staff, commune_a):
    login(district_staff)
    page = client.get(dashboard_url(commune_a)).content.decode()
    crumbs = page.split('class="usa-breadcrumb__list"')[1].split("</ol>")[0]
    assert "Thành phố Tuyên Quang" in crumbs and "Xã Tràng Đà" in crumbs
    assert "Tỉnh Tuyên Quang" not in crumbs


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona,target",
    [
        ("officer_a", "district"),
        ("officer_a", "commune_a2"),
        ("officer_a", "commune_b"),
        ("officer_a", "province"),
        ("district_staff", "commune_b"),
        ("district_staff", "province"),
        ("district_other", "commune_a"),
    ],
)
def test_units_outside_the_users_unit_do_not_exist(
    request, client, login, commune_a, persona, target
):
    units = {
        "district": commune_a.district,
        "province": commune_a.province,
        "commune_a": commune_a,
        "commune_a2": request.getfixturevalue("commune_a2"),
        "commune_b": request.getfixturevalue("commune_b"),
    }
    login(request.getfixturevalue(persona))
    unit = units[target]
    for url in (
        dashboard_url(unit),
        reverse("reports:case_list", args=[unit.pk]),
        reverse("reports:unit_service_levels", args=[unit.pk]),
        reverse("reports:exports") + f"?don_vi={unit.pk}",
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_system_administrators_have_no_dashboard(client, login, sysadmin):
    login(sysadmin)
    assert client.get(reverse("reports:dashboard")).status_code == 403


@pytest.mark.django_db
def test_child_units_can_be_sorted_by_any_figure(client, login, scenario, district_staff):
    login(district_staff)
    by_awaiting = client.get(reverse("reports:dashboard") + "?sort=awaiting&dir=desc")
    rows = by_awaiting.content.decode().split("<tbody>")[-1]
    assert rows.index("Xã Tràng Đà") < rows.index("Phường Phan Thiết")
    by_awaiting_up = client.get(reverse("reports:dashboard") + "?sort=awaiting&dir=asc")
    rows = by_awaiting_up.content.decode().split("<tbody>")[-1]
    assert rows.index("Phường Phan Thiết") < rows.index("Xã Tràng Đà")
    assert 'aria-sort="ascending"' in by_awaiting_up.content.decode()


@pytest.mark.django_db
def test_a_new_declaration_shows_without_waiting_for_the_worker(
    client, login, district_staff, commune_a
):
    login(district_staff)
    client.get(reverse("reports:dashboard"))
    make_case(commune_a)
    make_case(commune_a, status=Status.SUBMITTED)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert re.search(r"Khai báo mới hôm nay</span><span class=\"stat__value\">2<", page)


@pytest.mark.django_db
def test_service_levels_highlight_communes_behind(
    client, login, scenario, district_staff, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from cases.models import Case

    settings.REVIEW_OVERDUE_HOURS = 24
    late = scenario["a_waiting"][0]
    Case.objects.filter(pk=late.pk).update(submitted_at=timezone.now() - timedelta(hours=30))
    login(district_staff)
    page = client.get(reverse("reports:service_levels")).content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    first_row = rows.split("</tr>")[0]
    assert "row-behind" in first_row and "Xã Tràng Đà" in first_row
    assert late.tracking_code in page
    # The eligible-but-unconfirmed cases are listed as overdue recoveries.
    for case in scenario["a_eligible"]:
        assert case.tracking_code in page


@pytest.mark.django_db
def test_a_phone_is_masked_alike_in_the_inbox_and_the_district_case_list(
    client, login, officer_a, district_staff, commune_a
):
    make_case(commune_a, phone="0912345678", id_number="079190987654")
    login(officer_a)
    inbox = client.get(reverse("backoffice:inbox")).content.decode()
    login(district_staff)
    case_list = client.get(
        reverse("reports:case_list", args=[commune_a.district_id]) + "?loc=all"
    ).content.decode()
    for page in (inbox, case_list):
        assert "091****678" in page
        assert "0912345678" not in page and "*******678" not in page
