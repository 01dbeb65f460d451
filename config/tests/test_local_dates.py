"""Dates are Vietnamese dates: no "today" or day is taken from a timestamp in UTC.

Timestamps are stored and compared in UTC (USE_TZ), but a day (an age, a day count, a
date printed on a decision, a file name) is the day in Asia/Ho_Chi_Minh: between 00:00
and 06:59 there the UTC date is still yesterday. The test reads every module of the
project (tests excepted, which build naive dates on purpose) the way test_layers reads
imports, and fails on the patterns that take the date in the wrong zone:

- `x.date()` unless `x` is `timezone.localtime(...)`, `y.astimezone(tz)` or
  `datetime.now(tz)` (a zone named on the spot);
- `date.today()`, `datetime.today()`, `datetime.now()` / `datetime.utcnow()` with no zone;
- `timezone.now().strftime(...)` / `.year` / `.month` / `.day` (a day part in UTC).

Use `timezone.localdate()`, `timezone.localdate(at)` or `timezone.localtime(at).date()`.
"""

import ast
from pathlib import Path

from django.conf import settings

from config.tests.test_layers import project_packages

ROOT = Path(settings.BASE_DIR)
DAY_PARTS = {"strftime", "year", "month", "day", "weekday", "isoweekday", "isocalendar"}


def _callee(node: ast.AST) -> str:
    """`timezone.localtime` -> "localtime"; "" when not a call of a name or attribute."""
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute):
            return func.attr
        if isinstance(func, ast.Name):
            return func.id
    return ""


def _zone_named(call: ast.Call) -> bool:
    return bool(call.args or call.keywords)


def utc_dates(source: str, filename: str) -> list[tuple[int, str]]:
    """(line, code) of every expression that takes a date in the wrong zone."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name, receiver = node.func.attr, node.func.value
            if name == "date" and not node.args and not node.keywords:
                callee = _callee(receiver)
                if isinstance(receiver, ast.Name) and receiver.id == "datetime":
                    continue  # the datetime.date class, called (rare, but not a timestamp)
                if callee == "localtime" or (
                    callee in ("astimezone", "now") and _zone_named(receiver)
                ):
                    continue
                found.append((node.lineno, ast.unparse(node)))
            elif (
                isinstance(receiver, ast.Name)
                and receiver.id in ("date", "datetime")
                and (name == "today" or (name in ("now", "utcnow") and not _zone_named(node)))
            ):
                found.append((node.lineno, ast.unparse(node)))
        if (
            isinstance(node, ast.Attribute)
            and node.attr in DAY_PARTS
            and _callee(node.value) == "now"
            and isinstance(node.value.func, ast.Attribute)
            and isinstance(node.value.func.value, ast.Name)
            and node.value.func.value.id == "timezone"
        ):
            found.append((node.lineno, ast.unparse(node)))
    return sorted(found)


def project_modules():
    for package in sorted(project_packages()):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "tests" not in path.relative_to(ROOT).parts:
                yield path


def test_no_module_takes_a_date_in_utc():
    offences = [
        f"{path.relative_to(ROOT)}:{line}: {code}"
        for path in project_modules()
        for line, code in utc_dates(path.read_text(encoding="utf-8"), str(path))
    ]
    assert offences == [], "dates must be Vietnamese dates:\n" + "\n".join(offences)


def test_the_check_finds_each_pattern_and_spares_local_dates():
    wrong = """
now = timezone.now()
a = now.date()
b = case.submitted_at.date()
c = date.today()
d = datetime.now()
e = timezone.now().date()
f = timezone.now().strftime("%Y/%m")
g = datetime.utcnow()
"""
    right = """
a = timezone.localdate()
b = timezone.localdate(case.submitted_at)
c = timezone.localtime(at).date()
d = at.astimezone(tz).date()
e = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
f = timezone.localtime().strftime("%Y/%m")
g = datetime.now(tz=UTC)
"""
    assert [line for line, _ in utc_dates(wrong, "wrong.py")] == [3, 4, 5, 6, 7, 8, 9]
    assert utc_dates(right, "right.py") == []
