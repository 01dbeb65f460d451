"""Ages, day counts and dates of a declaration are taken on the Vietnamese date.

Issue 10: a woman born 29/11/1961 who declares at 03:30 on 29/11/2026 (Vietnam time) is 65
that day, but the UTC date was still 28/11 and she was not flagged.
"""

import uuid
from datetime import date

import pytest

from cases.choices import RiskFlag
from cases.services import case_accept, case_correct, case_declare
from cases.testing import declaration_values
from core.tests.clock import set_local_clock

BORN = date(1961, 11, 29)


def _declare(commune):
    values = declaration_values(date_of_birth=BORN, sex="female", vaccine_doses=3)
    return case_declare(commune=commune, values=values, submission_key=uuid.uuid4()).case


@pytest.mark.django_db
@pytest.mark.parametrize("local", ["2026-11-29 00:00", "2026-11-29 03:30", "2026-11-29 06:59"])
def test_a_declaration_in_the_small_hours_counts_the_age_on_the_vietnamese_date(
    commune_a, monkeypatch, local
):
    set_local_clock(monkeypatch, local)
    case = _declare(commune_a)
    assert RiskFlag.ELDERLY in case.risk_flags
    assert case.high_risk


@pytest.mark.django_db
def test_the_same_declaration_later_that_morning_is_flagged_the_same(commune_a, monkeypatch):
    set_local_clock(monkeypatch, "2026-11-29 09:30")
    assert RiskFlag.ELDERLY in _declare(commune_a).risk_flags


@pytest.mark.django_db
def test_the_day_before_her_birthday_she_is_not_yet_65(commune_a, monkeypatch):
    set_local_clock(monkeypatch, "2026-11-28 23:59")
    assert RiskFlag.ELDERLY not in _declare(commune_a).risk_flags


@pytest.mark.django_db
def test_a_correction_recomputes_the_flags_on_the_vietnamese_date_of_the_declaration(
    commune_a, officer_a, monkeypatch
):
    set_local_clock(monkeypatch, "2026-11-29 03:30")
    case = case_accept(case=_declare(commune_a), by=officer_a)
    set_local_clock(monkeypatch, "2026-12-02 10:00")
    case = case_correct(
        case=case, by=officer_a, changes={"vaccine_doses": 2}, reason="Khai nhầm số mũi"
    )
    case.refresh_from_db()
    assert RiskFlag.ELDERLY in case.risk_flags
