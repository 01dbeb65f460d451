"""Dates are Vietnamese dates: no "today" or day is taken from a timestamp in UTC.

Timestamps are stored and compared in UTC (USE_TZ), but a day (an age, a day count, a
date printed on a decision, a file name) is the day in Asia/Ho_Chi_Minh: between 00:00
and 06:59 there the UTC date is still yesterday. The test reads every module of the
project (tests excepted, which build naive dates on purpose) the way test_layers reads
imports, and fails on the patterns that take the date in the wrong zone:

- `x.date()` unless `x` is `timezone.localtime(...)`, `y.astimezone(tz)` or
  `datetime.now(tz)` (a zone named on the spot);
- `date.today()`, `datetime.today()`, `datetime.now()` / `datetime.utcnow()` with no zone;
- `timezone.now().strftime(...)` / `.year` / `.month` / `.day` (a day part in UTC);
- an f-string printing a timestamp with a time-of-day format (`f"{self.at:%H:%M}"`)
  unless it is `timezone.localtime(...)`: an object's text goes into audit entries
  (`object_label`), where 11:20 UTC was read as the time in Vietnam (issue 14 item 12).

Use `timezone.localdate()`, `timezone.localdate(at)` or `timezone.localtime(at).date()`.
"""

import ast
from pathlib import Path

from django.conf import settings

from config.tests.test_layers import project_packages

ROOT = Path(settings.BASE_DIR)
# Names that hold a local time where an f-string formats them.
LOCAL_NAMES = {"local", "made_at"}
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
            isinstance(node, ast.FormattedValue)
            and node.format_spec is not None
            and any(part in ast.unparse(node.format_spec) for part in ("%H", "%I", "%M"))
            and _callee(node.value) not in ("localtime", "localdate")
            and not (isinstance(node.value, ast.Name) and node.value.id in LOCAL_NAMES)
        ):
            found.append((node.lineno, ast.unparse(node.value)))
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
h = f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
"""
    right = """
a = timezone.localdate()
b = timezone.localdate(case.submitted_at)
c = timezone.localtime(at).date()
d = at.astimezone(tz).date()
e = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
f = timezone.localtime().strftime("%Y/%m")
g = datetime.now(tz=UTC)
h = f"{self.kind} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"
"""
    assert [line for line, _ in utc_dates(wrong, "wrong.py")] == [3, 4, 5, 6, 7, 8, 9, 10]
    assert utc_dates(right, "right.py") == []
