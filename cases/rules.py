"""Isolation periods and risk flags computed from the rule set in force (data, not code)."""

import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from cases.choices import RiskFlag
from cases.models import RuleSet

# Rule sets change a few times in an epidemic (province health staff add them at
# /office/rules/), and every declaration asks for one: each process keeps them a minute, and forgets them at once when
# it saves or deletes one itself.
RULE_SETS_MAX_AGE = 60.0
_rule_sets: tuple[float, tuple[RuleSet, ...]] | None = None


def rule_sets_forget(**_signal) -> None:
    global _rule_sets
    _rule_sets = None


post_save.connect(rule_sets_forget, sender=RuleSet, dispatch_uid="rule_sets_forget_save")
post_delete.connect(rule_sets_forget, sender=RuleSet, dispatch_uid="rule_sets_forget_delete")


def _all_rule_sets() -> tuple[RuleSet, ...]:
    global _rule_sets
    cached = _rule_sets
    if cached is None or time.monotonic() - cached[0] > RULE_SETS_MAX_AGE:
        cached = (time.monotonic(), tuple(RuleSet.objects.order_by("effective_from")))
        _rule_sets = cached
    return cached[1]


def rule_set_for(positive_test_date: date) -> RuleSet:
    """The rules in force on the day of the positive test (the oldest if none was yet)."""
    rule_sets = _all_rule_sets()
    if not rule_sets:
        raise RuleSet.DoesNotExist("No isolation rules are configured.")
    in_force = [r for r in rule_sets if r.effective_from <= positive_test_date]
    return in_force[-1] if in_force else rule_sets[0]


def day_n(start: date, n: int) -> date:
    """Day `n` of isolation, day 1 being the day of the positive test."""
    return start + timedelta(days=n - 1)


@dataclass(frozen=True)
class IsolationPlan:
    start: date
    # Isolation ends on this day with a negative test (the earliest recovery date).
    isolation_end: date
    # Still positive at isolation_end: isolation lasts until this day.
    extended_isolation_end: date
    fully_vaccinated: bool


def isolation_plan(
    *, rule_set: RuleSet, positive_test_date: date, vaccine_doses: int
) -> IsolationPlan:
    fully_vaccinated = vaccine_doses >= rule_set.primary_series_doses
    extended_days = (
        rule_set.extended_days_vaccinated
        if fully_vaccinated
        else rule_set.extended_days_unvaccinated
    )
    return IsolationPlan(
        start=positive_test_date,
        isolation_end=day_n(positive_test_date, rule_set.isolation_days),
        extended_isolation_end=day_n(positive_test_date, extended_days),
        fully_vaccinated=fully_vaccinated,
    )


def earliest_recovery_reason(*, rule_set: RuleSet, positive_test_date: date) -> str:
    """Why recovery is declared from day `isolation_days` and not before, in the citizen's
    words and from the rule set of the case (its name and days; issue 14 item 18), e.g.
    "Theo Hướng dẫn ... (2022), người mắc COVID-19 cách ly tại nhà ít nhất 7 ngày, tính từ ngày
    có kết quả dương tính (29/11/2026) là ngày thứ 1, và kết thúc cách ly khi xét nghiệm
    nhanh âm tính từ ngày thứ 7 (05/12/2026)." """
    return _(
        "Theo %(rules)s, người mắc COVID-19 cách ly tại nhà ít nhất %(days)s ngày, tính từ ngày có "
        "kết quả dương tính (%(positive)s) là ngày thứ 1, và kết thúc cách ly khi xét nghiệm "
        "âm tính từ ngày thứ %(days)s (%(earliest)s)."
    ) % {
        "rules": rule_set.name,
        "days": rule_set.isolation_days,
        "positive": positive_test_date.strftime("%d/%m/%Y"),
        "earliest": day_n(positive_test_date, rule_set.isolation_days).strftime("%d/%m/%Y"),
    }


def positive_test_window(*, rule_set: RuleSet, today: date) -> tuple[date, date]:
    """The oldest and newest positive-test dates a declaration may give today."""
    return today - timedelta(days=rule_set.max_test_age_days), today


# Of age (Civil Code art. 20): a person under it without papers is declared with a
# guardian, a person of age without papers with a relative who declares for them.
ADULT_AGE = 18


def age_on(date_of_birth: date, on: date) -> int:
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def breathing_rate_threshold(rule_set: RuleSet, age_years: int) -> int:
    """Breaths per minute at or above which breathing is too fast for the age, by the rule
    set's four age bands (from 12, 5-11, 1-4, under 1 year)."""
    if age_years >= 12:
        return rule_set.fast_breathing_from_12
    if age_years >= 5:
        return rule_set.fast_breathing_5_to_11
    if age_years >= 1:
        return rule_set.fast_breathing_1_to_4
    return rule_set.fast_breathing_under_1


def danger_signs(
    *,
    rule_set: RuleSet,
    age_years: int,
    symptoms: list[str],
    spo2: int | None,
    breathing_rate: int | None,
) -> list[str]:
    """Why a declaration or a daily report is a danger, by the rule set: "low_spo2" (SpO2 at
    or under `spo2_danger_threshold`), "fast_breathing" (at or above the age's threshold,
    breathing_rate_threshold), then the symptoms the rule set lists in `danger_symptoms`,
    in the order given. Empty: no danger sign."""
    signs = []
    if spo2 is not None and spo2 <= rule_set.spo2_danger_threshold:
        signs.append(str(RiskFlag.LOW_SPO2))
    if breathing_rate is not None and breathing_rate >= breathing_rate_threshold(
        rule_set, age_years
    ):
        signs.append(str(RiskFlag.FAST_BREATHING))
    escalating = set(rule_set.danger_symptoms or ())
    signs.extend(str(s) for s in symptoms if s in escalating)
    return signs


def risk_flags(
    *,
    rule_set: RuleSet,
    date_of_birth: date,
    on: date,
    pregnant: bool,
    comorbidities: list[str],
    vaccine_doses: int,
    symptoms: list[str],
    spo2: int | None,
    breathing_rate: int | None,
) -> list[str]:
    """The risk factors and danger signs of a declaration, most urgent first."""
    age = age_on(date_of_birth, on)
    flags = []
    signs = danger_signs(
        rule_set=rule_set,
        age_years=age,
        symptoms=symptoms,
        spo2=spo2,
        breathing_rate=breathing_rate,
    )
    if signs:
        flags.append(RiskFlag.DANGER)
    if RiskFlag.LOW_SPO2 in signs:
        flags.append(RiskFlag.LOW_SPO2)
    if RiskFlag.FAST_BREATHING in signs:
        flags.append(RiskFlag.FAST_BREATHING)
    if age >= rule_set.elderly_age:
        flags.append(RiskFlag.ELDERLY)
    if pregnant:
        flags.append(RiskFlag.PREGNANT)
    if comorbidities:
        flags.append(RiskFlag.COMORBIDITY)
    if vaccine_doses < rule_set.primary_series_doses:
        flags.append(RiskFlag.UNVACCINATED)
    return [str(f) for f in flags]


@dataclass(frozen=True)
class SamplePerson:
    """A typical declarant, to show what a rule set gives before it is saved."""

    label: str
    age_years: int
    vaccine_doses: int
    spo2: int | None = None
    breathing_rate: int | None = None
    comorbidities: tuple[str, ...] = ()


@dataclass(frozen=True)
class SampleOutcome:
    person: SamplePerson
    plan: IsolationPlan
    flags: list[str]


def sample_people() -> list[SamplePerson]:
    return [
        SamplePerson(_("Người 30 tuổi, tiêm đủ liều, không triệu chứng nặng"), 30, 3),
        SamplePerson(
            _("Người 70 tuổi, chưa tiêm vắc xin, bệnh tiểu đường"), 70, 0, 97, 18, ("diabetes",)
        ),
        SamplePerson(_("Trẻ 3 tuổi, thở 42 lần/phút"), 3, 0, None, 42),
        SamplePerson(_("Người 45 tuổi, tiêm 2 liều, SpO2 95%"), 45, 2, 95, 22),
    ]


def rule_set_preview(rule_set: RuleSet, *, positive_test_date: date) -> list[SampleOutcome]:
    """What `rule_set` (saved or not) gives the sample people tested on `positive_test_date`:
    their isolation dates and risk flags, computed by the same functions as declarations."""
    outcomes = []
    for person in sample_people():
        birth = date(positive_test_date.year - person.age_years, 1, 1)
        plan = isolation_plan(
            rule_set=rule_set,
            positive_test_date=positive_test_date,
            vaccine_doses=person.vaccine_doses,
        )
        flags = risk_flags(
            rule_set=rule_set,
            date_of_birth=birth,
            on=positive_test_date,
            pregnant=False,
            comorbidities=list(person.comorbidities),
            vaccine_doses=person.vaccine_doses,
            symptoms=[],
            spo2=person.spo2,
            breathing_rate=person.breathing_rate,
        )
        outcomes.append(SampleOutcome(person=person, plan=plan, flags=flags))
    return outcomes
