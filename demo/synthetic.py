"""Realistic synthetic cases, fast: for demos, tests and benchmarks, never for a real site.

Cases follow a wave over the chosen days (rise, peak, slower fall, quieter Sundays), are
spread over the province's communes by a size weight (wards and towns larger than rural
communes), and each gets the events a real case would have had by now: declaration,
review (with waits that grow with the load), acceptance or rejection or transfer, the
isolation decision, recovery declaration and confirmation, or another outcome. Statuses
and dates follow from those events, so the summaries are folded from the same facts.

Every status change of a story is an action of the case lifecycle (cases.choices
TRANSITIONS and ACTION_EVENTS, the table cases.lifecycle.transition() obeys): a story the
table forbids raises IllegalStory instead of writing a case no service could have made.
"""

import math
import random
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from accounts.models import Role, User
from cases import rules
from cases.choices import (
    ACTION_EVENTS,
    TRANSITIONS,
    Action,
    EventKind,
    Outcome,
    RejectReason,
    Status,
    TestType,
)
from cases.models import RuleSet
from cases.tracking import ALPHABET
from cases.validators import name_key
from demo import synthetic_people as people
from demo.synthetic_people import STREETS, VILLAGE_NAMES, WORKPLACES, Weighted
from units.models import Unit

SYNTHETIC_LABEL = "Cán bộ xã (dữ liệu mô phỏng)"
# Hour of declaration (two-hour slots from), days from test to declaration, test types,
# days from the earliest recovery date to the recovery declaration.
HOURS = Weighted((7, 9, 11, 14, 17, 20, 22), (8, 18, 16, 18, 16, 16, 8))
TEST_LAG = Weighted((0, 1, 2, 3), (55, 30, 10, 5))
TEST_TYPES = Weighted(TestType.values, (70, 22, 8))
RECOVERY_LAG = Weighted((0, 1, 2, 3, 5), (55, 25, 12, 5, 3))


class IllegalStory(ValueError):
    """A synthetic story took a step the case lifecycle does not allow."""


def lifecycle_step(status: str, action: str) -> tuple[str, str]:
    """(event kind, next status) of `action` from `status`, by the lifecycle's table."""
    to = TRANSITIONS.get(status, {}).get(action)
    if to is None:
        raise IllegalStory(f"{action} is not allowed from {status}")
    return ACTION_EVENTS[action], to


@dataclass
class GenerateResult:
    cases: int = 0
    events: int = 0
    seconds: float = 0.0
    by_status: dict[str, int] = field(default_factory=dict)


def wave_weights(days: int) -> list[float]:
    """Relative daily declarations: a skewed bell (rise to 60 % of the period, slower
    fall), a floor, and fewer declarations at weekends."""
    peak = 0.6 * (days - 1)
    rise, fall = max(1.0, 0.22 * days), max(1.0, 0.3 * days)
    weights = []
    for i in range(days):
        spread = rise if i <= peak else fall
        weights.append(0.03 + math.exp(-0.5 * ((i - peak) / spread) ** 2))
    return weights


def day_counts(count: int, days: int, end: date) -> list[tuple[date, int, float]]:
    """(day, cases declared that day, load 0..1) whose counts add up to `count` exactly."""
    weights = wave_weights(days)
    start = end - timedelta(days=days - 1)
    for i in range(days):
        weekday = (start + timedelta(days=i)).weekday()
        weights[i] *= 0.7 if weekday == 6 else 0.9 if weekday == 5 else 1.0
    total = sum(weights)
    exact = [count * w / total for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(days), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[: count - sum(counts)]:
        counts[i] += 1
    top = max(weights)
    return [(start + timedelta(days=i), counts[i], weights[i] / top) for i in range(days)]


class CodeMaker:
    """Tracking codes from a bijection of the case id, so generated codes never repeat."""

    def __init__(self, rng: random.Random):
        self.space = len(ALPHABET) ** 8
        self.multiplier = rng.randrange(1, self.space // 7) * 7 + 1  # coprime with 2, 3, 5
        while math.gcd(self.multiplier, self.space) != 1:
            self.multiplier += 7
        self.offset = rng.randrange(self.space)
        self.prefix = settings.TRACKING_CODE_PREFIX

    def code(self, case_id: int, salt: int = 0) -> str:
        n = (case_id * self.multiplier + self.offset + salt * 104_729) % self.space
        chars = []
        for _ in range(8):
            n, r = divmod(n, len(ALPHABET))
            chars.append(ALPHABET[r])
        return f"{self.prefix}-{''.join(chars[:4])}-{''.join(chars[4:])}"


class Generator:
    """Builds rows for cases, events and recovery declarations, and their summary facts."""

    def __init__(self, *, rng: random.Random, now: datetime, province: Unit):
        self.rng = rng
        self.now = now
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.communes = list(
            Unit.objects.filter(province=province, level=Unit.Level.COMMUNE)
            .order_by("code")
            .values_list("pk", "district_id", "name", "short_name", "code")
        )
        if not self.communes:
            raise ValueError("The deployed province has no communes loaded (run load_units).")
        weights = []
        for _pk, _district, name, _short, code in self.communes:
            size = 4.0 if name.startswith("Phường") else 2.5 if name.startswith("Thị trấn") else 1
            weights.append(size * random.Random(code).lognormvariate(0, 0.35))
        total, running = sum(weights), 0.0
        self.cum_weights = []
        for w in weights:
            running += w / total
            self.cum_weights.append(running)
        self.by_district: dict[int | None, list[int]] = {}
        for index, commune in enumerate(self.communes):
            self.by_district.setdefault(commune[1], []).append(index)
        self.villages = [self._villages(c) for c in self.communes]
        self.officers, self.leaders = self._actors()
        self.rule_sets = list(RuleSet.objects.order_by("effective_from"))
        self.codes = CodeMaker(rng)
        self.current_row: dict | None = None

    def _villages(self, commune) -> list[str]:
        pick = random.Random(commune[4])
        if commune[2].startswith(("Phường", "Thị trấn")):
            return [f"Tổ dân phố {n}" for n in range(1, pick.randint(8, 25))]
        return ["Thôn " + v for v in pick.sample(VILLAGE_NAMES, pick.randint(6, 14))]

    def _actors(self):
        officers, leaders = {}, {}
        for user in User.objects.filter(unit__province_id__isnull=False).filter(
            role__in=[Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER]
        ):
            target = officers if user.role == Role.COMMUNE_OFFICER else leaders
            target.setdefault(user.unit_id, (user.pk, user.full_name or user.username))
        return officers, leaders

    def rule_set_for(self, day: date) -> RuleSet:
        chosen = self.rule_sets[0]
        for rule_set in self.rule_sets:
            if rule_set.effective_from <= day:
                chosen = rule_set
        return chosen

    def at(self, day: date, hour: float) -> datetime:
        moment = datetime.combine(day, time(0), tzinfo=self.tz) + timedelta(hours=hour)
        return moment.astimezone(UTC)

    def person(self) -> dict:
        return people.person(self.rng, self.now.year)

    def cccd(self, dob: date, sex: str) -> str:
        return people.cccd(self.rng, dob, sex)

    def health(self, dob: date, sex: str, positive: date) -> dict:
        return people.health(self.rng, dob, sex, positive)

    def hours(self, median: float, sigma: float = 0.9) -> timedelta:
        return timedelta(hours=self.rng.lognormvariate(math.log(median), sigma))

    def make(self, case_id: int, day: date, load: float, emit: Callable) -> dict:
        """One case's row; its events go to `emit(kind, at, from, to, commune, extra)`."""
        rng = self.rng
        index = min(bisect_left(self.cum_weights, rng.random()), len(self.communes) - 1)
        commune, district = self.communes[index][0], self.communes[index][1]
        submitted = self.at(
            day,
            HOURS.pick(rng) + rng.random() * 2,
        )
        if submitted > self.now:
            start = self.at(self.now.astimezone(self.tz).date(), 0)
            submitted = start + (self.now - start) * rng.random()
        positive = day - timedelta(days=TEST_LAG.pick(rng))
        person = self.person()
        health = self.health(person["date_of_birth"], person["sex"], positive)
        rule_set = self.rule_set_for(positive)
        plan = rules.isolation_plan(
            rule_set=rule_set, positive_test_date=positive, vaccine_doses=health["vaccine_doses"]
        )
        flags = rules.risk_flags(
            rule_set=rule_set,
            date_of_birth=person["date_of_birth"],
            on=day,
            pregnant=health["pregnant"],
            comorbidities=health["comorbidities"],
            vaccine_doses=health["vaccine_doses"],
            symptoms=health["symptoms"],
            spo2=health["spo2"],
            breathing_rate=None,
        )
        row = {
            **person,
            **health,
            "id": case_id,
            "tracking_code": self.codes.code(case_id),
            "name_key": name_key(person["full_name"]),
            "email": "",
            "village": rng.choice(self.villages[index]),
            "house_number": f"Số {rng.randint(1, 199)}, đường {rng.choice(STREETS)}"
            if rng.random() < 0.3
            else "",
            "workplace": rng.choice(WORKPLACES) if rng.random() < 0.2 else "",
            "social_insurance_number": "",
            "test_type": TEST_TYPES.pick(rng),
            "test_place": "",
            "positive_test_date": positive,
            "test_photo_id": None,
            "id_photo_id": None,
            "rule_set_id": rule_set.pk,
            "isolation_end": plan.isolation_end,
            "extended_isolation_end": plan.extended_isolation_end,
            "risk_flags": flags,
            "has_danger_signs": "danger" in flags,
            "high_risk": bool(flags),
            "rejection_reason": "",
            "rejection_note": "",
            "consent_at": submitted,
            "submitted_at": submitted,
            "accepted_at": None,
            "closed_at": None,
            "entered_by_id": None,
            "updated_at": submitted,
            "outcome": "",
            "province_id": None,  # set by the caller
        }
        self.current_row = row  # read by the loader's emit for the facts' isolation_end
        self._story(row, commune, district, load, plan, emit)
        return row

    def _story(self, row, commune, district, load, plan, emit) -> None:
        """Walk the case through review, isolation and its outcome, stopping at now."""
        rng, now = self.rng, self.now
        t = row["submitted_at"]
        kind = EventKind.ENROLLED if rng.random() < 0.08 else EventKind.DECLARED
        emit(kind, t, "", Status.SUBMITTED, commune, commune, {"commune_id": commune})
        status = Status.SUBMITTED
        draw = rng.random()
        if draw < 0.02:  # declared in the wrong commune: transferred within the district
            t += self.hours(2 + 6 * load)
            if t > now:
                return self._settle(row, status, commune, district, t)
            target_index = rng.choice(self.by_district[district])
            target = self.communes[target_index][0]
            if target != commune:
                kind, to = lifecycle_step(status, Action.TRANSFER)
                emit(
                    kind,
                    t,
                    status,
                    to,
                    commune,
                    target,
                    {"from_commune_id": commune, "to_commune_id": target},
                )
                status, commune = to, target
        t += self.hours(2 + 12 * load)
        if t > now:
            return self._settle(row, status, commune, district, t)
        if draw > 0.965:
            reason = rng.choice(
                (RejectReason.UNREADABLE_PHOTO, RejectReason.DUPLICATE, RejectReason.NOT_RESIDENT)
            )
            kind, to = lifecycle_step(status, Action.REJECT)
            emit(kind, t, status, to, commune, commune, {"reason": str(reason)})
            row.update(rejection_reason=str(reason), outcome=Outcome.REJECTED, closed_at=t)
            return self._settle(row, to, commune, district, t)
        kind, to = lifecycle_step(status, Action.ACCEPT)
        emit(kind, t, status, to, commune, commune, {})
        status, row["accepted_at"] = to, t
        t += self.hours(1.5 + 6 * load, 0.8)
        if t > now:
            return self._settle(row, status, commune, district, t)
        emit(
            EventKind.DOCUMENT_ISSUED,
            t,
            status,
            status,
            commune,
            commune,
            {"kind": "isolation_decision", "synthetic": True},
        )
        other = rng.random()
        if other < 0.014:
            outcome = (
                Outcome.HOSPITALISED
                if other < 0.01
                else Outcome.MOVED_AWAY
                if other < 0.0137
                else Outcome.DIED
            )
            t = max(t, self.at(plan.start + timedelta(days=rng.randint(1, 6)), rng.uniform(7, 20)))
            if t > now:
                return self._settle(row, status, commune, district, t)
            kind, to = lifecycle_step(status, Action.CLOSE)
            emit(kind, t, status, to, commune, commune, {"outcome": str(outcome)})
            row.update(outcome=outcome, closed_at=t)
            return self._settle(row, to, commune, district, t)
        earliest = plan.extended_isolation_end if rng.random() < 0.15 else plan.isolation_end
        lag = RECOVERY_LAG.pick(rng)
        if rng.random() < 0.05:  # never declared: confirmed once the longest period is over
            t = max(
                t,
                self.at(plan.extended_isolation_end + timedelta(days=lag + 1), rng.uniform(8, 17)),
            )
            if t > now:
                return self._settle(row, status, commune, district, t)
        else:
            requested = max(t, self.at(earliest + timedelta(days=lag), rng.uniform(6, 22)))
            if requested > now:
                return self._settle(row, status, commune, district, requested)
            row["_recovery"] = {
                "negative_test_date": earliest + timedelta(days=lag),
                "submitted_at": requested,
            }
            kind, to = lifecycle_step(status, Action.REQUEST_RECOVERY)
            emit(
                kind,
                requested,
                status,
                to,
                commune,
                commune,
                {"negative_test_date": (earliest + timedelta(days=lag)).isoformat()},
            )
            status = to
            t = requested + self.hours(3 + 20 * load)
            if t > now:
                return self._settle(row, status, commune, district, t)
            row["_recovery"]["decided_at"] = t
        kind, to = lifecycle_step(status, Action.CONFIRM_RECOVERY)
        emit(kind, t, status, to, commune, commune, {})
        status = to
        row.update(outcome=Outcome.RECOVERED, closed_at=t)
        issued = t + timedelta(minutes=rng.randint(5, 240))
        if issued <= now:
            emit(
                EventKind.DOCUMENT_ISSUED,
                issued,
                status,
                status,
                commune,
                commune,
                {"kind": "recovery_confirmation", "synthetic": True},
            )
        return self._settle(row, status, commune, district, t)

    def _settle(self, row, status, commune, district, _next) -> None:
        row.update(status=str(status), commune_id=commune, district_id=district)
        row["updated_at"] = max(
            row["submitted_at"],
            row["accepted_at"] or row["submitted_at"],
            row["closed_at"] or row["submitted_at"],
        )
