"""One table for `make bench`: each figure, its target, the baseline measured in the same run,
and whether the target is met.

A suite calls `figure(...)` for each figure it measures. When run by `python -m bench`, each
suite runs in a process of its own (so that its peak memory is its own, not the earlier
suites'), and its figures reach the parent through the JSON-lines file named by the
environment variable BENCH_FIGURES; run alone, a suite just prints its own lines.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

FIGURES_ENV = "BENCH_FIGURES"


@dataclass(frozen=True)
class Figure:
    """One measured figure.

    suite: the benchmark module ("declarations"); name: what was measured, in words;
    value: the measurement, in `unit` ("ms", "/s", "x", "MB", "s"); target: the target in
    words ("<= 100 ms"), empty when the figure has none; baseline: what the figure is
    compared with, measured in the same run ("931/s bare insert"), empty when none;
    met: True/False against the target, None when there is no target.
    """

    suite: str
    name: str
    value: float
    unit: str
    target: str = ""
    baseline: str = ""
    met: bool | None = None


def figure(
    suite: str,
    name: str,
    value: float,
    unit: str,
    *,
    target: str = "",
    baseline: str = "",
    met: bool | None = None,
) -> Figure:
    """Record one figure for the run's table (and return it)."""
    item = Figure(suite, name, round(float(value), 2), unit, target, baseline, met)
    path = os.environ.get(FIGURES_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(asdict(item), ensure_ascii=False) + "\n")
    return item


def read_figures(path: str) -> list[Figure]:
    """The figures a suite wrote to `path` (none when it wrote nothing)."""
    try:
        with open(path, encoding="utf-8") as lines:
            return [Figure(**json.loads(line)) for line in lines if line.strip()]
    except FileNotFoundError:
        return []


def _value(item: Figure) -> str:
    if item.unit == "/s":
        return f"{item.value:,.1f}/s"
    if item.unit == "x":
        return f"{item.value:.2f} x"
    return f"{item.value:,.1f} {item.unit}"


def render(figures: list[Figure]) -> str:
    """The table as text: suite, figure, value, target, baseline, met (yes/NO/-)."""
    header = ("suite", "figure", "value", "target", "baseline (same run)", "met")
    rows = [
        (
            item.suite,
            item.name,
            _value(item),
            item.target or "-",
            item.baseline or "-",
            "-" if item.met is None else ("yes" if item.met else "NO"),
        )
        for item in figures
    ]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(header))]
    lines.append("  ".join("-" * width for width in widths))
    lines += ["  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)) for row in rows]
    return "\n".join(line.rstrip() for line in lines)
