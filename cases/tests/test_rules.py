"""Isolation periods at their boundaries and the risk flags of the 2022 rule set (Decisions
250, 261 and 604/QĐ-BYT), as cases/rules.py computes them."""

from datetime import date

import pytest

from cases import rules
from cases.models import RuleSet

RULES_2022 = RuleSet(
    name="QĐ 250, 261, 604/QĐ-BYT",
    effective_from=date(2022, 1, 28),
    isolation_days=7,
    extended_days_vaccinated=10,
    extended_days_unvaccinated=14,
    primary_series_doses=2,
    elderly_age=65,
    spo2_danger_threshold=96,
)


@pytest.mark.parametrize(
    ("doses", "isolation_end", "extended_end", "fully"),
    [
        # Positive on 1 April: day 7 is 7 April, day 10 is 10 April, day 14 is 14 April.
        (2, date(2022, 4, 7), date(2022, 4, 10), True),
        (3, date(2022, 4, 7), date(2022, 4, 10), True),
        (1, date(2022, 4, 7), date(2022, 4, 14), False),
        (0, date(2022, 4, 7), date(2022, 4, 14), False),
    ],
)
def test_isolation_days_7_10_14(doses, isolation_end, extended_end, fully):
    plan = rules.isolation_plan(
        rule_set=RULES_2022, positive_test_date=date(2022, 4, 1), vaccine_doses=doses
    )
    assert plan.start == date(2022, 4, 1)
    assert plan.isolation_end == isolation_end
    assert plan.extended_isolation_end == extended_end
    assert plan.fully_vaccinated is fully


def test_isolation_crosses_month_and_year_ends():
    plan = rules.isolation_plan(
        rule_set=RULES_2022, positive_test_date=date(2022, 12, 28), vaccine_doses=0
    )
    assert plan.isolation_end == date(2023, 1, 3)
    assert plan.extended_isolation_end == date(2023, 1, 10)


def test_rules_change_with_the_data():
    shorter = RuleSet(
        isolation_days=5,
        extended_days_vaccinated=7,
        extended_days_unvaccinated=10,
        primary_series_doses=3,
    )
    plan = rules.isolation_plan(
        rule_set=shorter, positive_test_date=date(2022, 6, 1), vaccine_doses=2
    )
    assert (plan.isolation_end, plan.extended_isolation_end, plan.fully_vaccinated) == (
        date(2022, 6, 5),
        date(2022, 6, 10),
        False,
    )


def flags(**overrides):
    values = {
        "rule_set": RULES_2022,
        "date_of_birth": date(1990, 5, 5),
        "on": date(2022, 4, 1),
        "pregnant": False,
        "comorbidities": [],
        "vaccine_doses": 2,
        "symptoms": [],
        "spo2": None,
        "breathing_rate": None,
    }
    values.update(overrides)
    return rules.risk_flags(**values)


def test_a_healthy_vaccinated_adult_has_no_flags():
    assert flags() == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"date_of_birth": date(1957, 4, 1)}, ["elderly"]),  # 65 on the day
        ({"date_of_birth": date(1957, 4, 2)}, []),  # 65 tomorrow
        ({"pregnant": True}, ["pregnant"]),
        ({"comorbidities": ["diabetes"]}, ["comorbidity"]),
        ({"vaccine_doses": 1}, ["unvaccinated"]),
        ({"spo2": 96}, ["danger", "low_spo2"]),
        ({"spo2": 97}, []),
        ({"breathing_rate": 20}, ["danger", "fast_breathing"]),
        ({"breathing_rate": 19}, []),
        ({"symptoms": ["breathlessness"]}, ["danger"]),
        ({"symptoms": ["cough", "fever"]}, []),
    ],
)
def test_risk_flags_at_their_thresholds(overrides, expected):
    assert flags(**overrides) == expected


@pytest.mark.parametrize(
    ("birth", "rate", "fast"),
    [
        (date(2019, 4, 1), 40, True),  # 3 years old: threshold 40
        (date(2019, 4, 1), 39, False),
        (date(2015, 4, 1), 30, True),  # 7 years old: threshold 30
        (date(2015, 4, 1), 29, False),
        (date(2008, 4, 1), 20, True),  # 14 years old: adult threshold
    ],
)
def test_breathing_rate_threshold_depends_on_age(birth, rate, fast):
    assert ("fast_breathing" in flags(date_of_birth=birth, breathing_rate=rate)) is fast


@pytest.mark.django_db
def test_the_2022_rules_are_seeded_and_chosen_by_test_date():
    seeded = rules.rule_set_for(date(2022, 4, 1))
    assert (
        seeded.isolation_days,
        seeded.extended_days_vaccinated,
        seeded.extended_days_unvaccinated,
    ) == (7, 10, 14)
    later = RuleSet.objects.create(
        name="Quy định mới",
        effective_from=date(2022, 6, 1),
        isolation_days=5,
        extended_days_vaccinated=7,
        extended_days_unvaccinated=10,
    )
    assert rules.rule_set_for(date(2022, 5, 31)) == seeded
    assert rules.rule_set_for(date(2022, 6, 1)) == later


@pytest.mark.django_db
def test_rules_changed_by_another_process_apply_within_a_minute(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(rules.time, "monotonic", lambda: clock[0])
    seeded = rules.rule_set_for(date(2022, 7, 1))
    # bulk_create sends no signal, as a change made by another process reaches no one here.
    [later] = RuleSet.objects.bulk_create(
        [RuleSet(name="Quy định mới", effective_from=date(2022, 6, 1), isolation_days=5)]
    )
    clock[0] += rules.RULE_SETS_MAX_AGE - 1
    assert rules.rule_set_for(date(2022, 7, 1)) == seeded
    clock[0] += 2
    assert rules.rule_set_for(date(2022, 7, 1)).pk == later.pk
