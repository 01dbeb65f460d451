"""Province health staff add isolation rule sets; cases take the set of their test date."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import Case, RuleSet
from cases.testing import make_case

pytestmark = pytest.mark.django_db


def form_values(**overrides):
    values = {
        "name": "Hướng dẫn cách ly mới",
        "legal_basis": "Quyết định số 9999/QĐ-BYT ngày 01/01/2026 của Bộ Y tế",
        "effective_from": (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y"),
        "isolation_days": 5,
        "extended_days_vaccinated": 8,
        "extended_days_unvaccinated": 12,
        "primary_series_doses": 2,
        "max_test_age_days": 10,
        "elderly_age": 60,
        "spo2_danger_threshold": 95,
        "fast_breathing_from_12": 22,
        "fast_breathing_5_to_11": 30,
        "fast_breathing_1_to_4": 35,
        "fast_breathing_under_1": 50,
        "danger_symptoms": ["breathlessness", "chest_pain", "confusion", "cyanosis"],
    }
    values.update(overrides)
    return values


def test_a_rule_set_effective_tomorrow_governs_cases_tested_from_tomorrow(
    client, province_health, commune_a
):
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    client.force_login(province_health)
    response = client.post("/office/rules/new/", form_values())
    new = RuleSet.objects.get(name="Hướng dẫn cách ly mới")
    assert response.status_code == 302 and response["Location"] == f"/office/rules/{new.pk}/"
    assert new.effective_from == tomorrow and new.created_by == province_health
    entry = AuditEntry.objects.get(action="rule_set.create")
    assert entry.actor == province_health and entry.detail["isolation_days"] == 5

    tested_today = make_case(commune_a, positive_test_date=today)
    tested_tomorrow = make_case(commune_a, positive_test_date=tomorrow)
    assert tested_today.rule_set.name != new.name
    assert tested_today.isolation_end == today + timedelta(days=6)  # 7 days, day 1 = test
    assert tested_tomorrow.rule_set == new
    assert tested_tomorrow.isolation_end == tomorrow + timedelta(days=4)  # 5 days
    assert tested_tomorrow.extended_isolation_end == tomorrow + timedelta(days=7)

    # A 3-year-old breathing 36 times a minute is fast breathing by the new set only.
    child = {"date_of_birth": date(tomorrow.year - 3, 1, 1), "breathing_rate": 36}
    assert (
        "fast_breathing" not in make_case(commune_a, positive_test_date=today, **child).risk_flags
    )
    assert "fast_breathing" in make_case(commune_a, positive_test_date=tomorrow, **child).risk_flags

    page = client.get("/office/rules/").content.decode()
    assert "Hướng dẫn cách ly mới" in page and "Sắp áp dụng" in page and "Đang áp dụng" in page


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"effective_from": "01/01/2022"}, "sớm nhất từ ngày mai"),
        ({"extended_days_vaccinated": 4}, "không được ít hơn số ngày cách ly tối thiểu"),
        ({"fast_breathing_1_to_4": 25}, "Ngưỡng thở nhanh của trẻ nhỏ tuổi hơn"),
        ({"spo2_danger_threshold": 60}, "từ 80 đến 99"),
        ({"legal_basis": ""}, "Vui lòng"),
    ],
)
def test_inconsistent_rules_are_refused_next_to_the_field(
    client, province_health, overrides, field_message
):
    client.force_login(province_health)
    count = RuleSet.objects.count()
    response = client.post("/office/rules/new/", form_values(**overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert field_message in page and "usa-error-message" in page
    # Nothing typed is lost.
    assert "Hướng dẫn cách ly mới" in page
    assert RuleSet.objects.count() == count


def test_a_rule_set_that_governs_cases_is_never_changed(client, province_health, commune_a):
    used = make_case(commune_a).rule_set
    client.force_login(province_health)
    detail = client.get(f"/office/rules/{used.pk}/").content.decode()
    assert "không sửa được" in detail and f"/office/rules/{used.pk}/edit/" not in detail
    response = client.post(f"/office/rules/{used.pk}/edit/", form_values())
    assert "đã được áp dụng nên không sửa được" in response.content.decode()
    used.refresh_from_db()
    assert used.isolation_days == 7


def test_a_future_rule_set_may_be_corrected_before_it_applies(client, province_health):
    client.force_login(province_health)
    client.post("/office/rules/new/", form_values())
    new = RuleSet.objects.get(name="Hướng dẫn cách ly mới")
    client.post(f"/office/rules/{new.pk}/edit/", form_values(isolation_days=6))
    new.refresh_from_db()
    assert new.isolation_days == 6
    change = AuditEntry.objects.get(action="rule_set.update")
    assert change.detail == {"isolation_days": {"old": 5, "new": 6}}


def test_preview_shows_what_the_new_set_gives_before_saving(client, province_health):
    client.force_login(province_health)
    count = RuleSet.objects.count()
    response = client.post("/office/rules/new/", {**form_values(), "preview": "1"})
    page = response.content.decode()
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert (tomorrow + timedelta(days=4)).strftime("%d/%m/%Y") in page  # new earliest recovery
    assert "quy định hiện hành: " + (tomorrow + timedelta(days=6)).strftime("%d/%m/%Y") in page
    assert "Trẻ 3 tuổi" in page
    assert RuleSet.objects.count() == count


def test_who_reads_and_who_edits_the_rules(
    client, district_staff, sysadmin, officer_a, province_health
):
    for reader in (district_staff, sysadmin):
        client.force_login(reader)
        assert client.get("/office/rules/").status_code == 200
        assert client.get("/office/rules/new/").status_code == 403
        assert client.post("/office/rules/new/", form_values()).status_code == 403
    client.force_login(officer_a)
    assert client.get("/office/rules/").status_code == 403
    client.logout()
    assert client.get("/office/rules/").status_code == 302
    assert not RuleSet.objects.filter(name="Hướng dẫn cách ly mới").exists()
    client.force_login(province_health)
    assert client.get("/office/rules/new/").status_code == 200


def test_cases_counted_per_rule_set_stay_within_the_users_unit(client, district_other, commune_a):
    make_case(commune_a)
    client.force_login(district_other)  # Sơn Dương: commune A is not in it
    page = client.get("/office/rules/").content.decode()
    rule_set = Case.objects.get().rule_set
    detail = client.get(f"/office/rules/{rule_set.pk}/").content.decode()
    assert "Hồ sơ áp dụng trong đơn vị của bạn</dt><dd>0</dd>" in detail
    assert page.count('<td data-label="Hồ sơ áp dụng">0</td>') >= 1


def test_the_danger_symptoms_are_the_rule_sets_and_govern_declarations(
    client, province_health, commune_a
):
    tomorrow = timezone.localdate() + timedelta(days=1)
    client.force_login(province_health)
    refused = client.post("/office/rules/new/", form_values(danger_symptoms=[]))
    assert "Vui lòng chọn ít nhất một triệu chứng nguy hiểm." in refused.content.decode()
    client.post("/office/rules/new/", form_values(danger_symptoms=["cyanosis", "confusion"]))
    new = RuleSet.objects.get(name="Hướng dẫn cách ly mới")
    assert sorted(new.danger_symptoms) == ["confusion", "cyanosis"]
    detail = client.get(f"/office/rules/{new.pk}/").content.decode()
    assert (
        "Tím tái môi" in detail
        and "Đau tức ngực kéo dài" not in detail.split("danger-symptoms")[1][:300]
    )
    # Chest pain is a danger sign by the 2022 rules, not by the new set.
    today = timezone.localdate()
    assert make_case(commune_a, positive_test_date=today, symptoms=["chest_pain"]).has_danger_signs
    assert not make_case(
        commune_a, positive_test_date=tomorrow, symptoms=["chest_pain"]
    ).has_danger_signs
