"""`make bench`: every benchmark of the project, each in a process of its own, then one table.

python -m bench                 # all
python -m bench declarations    # some, by module name

Each suite runs as `python -m bench.<suite>` in a child process, so that the peak memory
reported for it (the child's maximum resident set, with the processes it waited for) is its
own and not the earlier suites'. Suites record their figures with `bench.table.figure`; the
table at the end gives each figure, its target, the baseline measured in the same run and
whether the target is met. Exit status 1 when a suite failed to run (a missed target is a
finding, shown in the table, not a failure of the run).
"""

import os
import subprocess
import sys
import tempfile
import time

from bench.table import FIGURES_ENV, Figure, read_figures, render

SUITES = [
    ("declarations", "public form: declarations per second through gunicorn"),
    ("documents_issue", "issuing signed decisions (number, render, sign, store)"),
    ("reports_dashboard", "staff pages at 1 million cases (10 million on PostgreSQL)"),
    ("reports_export", "100,000-row Excel export: time and memory"),
    ("page_weight", "what a citizen's phone downloads: first visit and later, in Chromium"),
    ("api", "REST API next to the pages: case list and enrolment, requests per second"),
    ("citizens", "100 citizens through the public flow at once, PostgreSQL, production server"),
]


def run_suite(name: str, figures_path: str) -> tuple[int, float, float]:
    """Run one suite in a child process: (exit status, seconds, peak memory in MB)."""
    env = {**os.environ, FIGURES_ENV: figures_path}
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", f"bench.{name}"], env=env)
    # wait4 gives this child's own resource use (ru_maxrss in KiB on Linux), where
    # getrusage(RUSAGE_CHILDREN) would give the largest of all children so far.
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, time.perf_counter() - started, usage.ru_maxrss / 1024


def main(argv: list[str]) -> int:
    known = [name for name, _ in SUITES]
    unknown = [name for name in argv if name not in known]
    if unknown:
        print(f"unknown suite(s): {', '.join(unknown)}; known: {', '.join(known)}")
        return 2
    wanted = argv or known
    failed: list[str] = []
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="bench-figures-") as directory:
        for name, title in SUITES:
            if name not in wanted:
                continue
            print(f"\n## {name}: {title}", flush=True)
            path = os.path.join(directory, f"{name}.jsonl")
            status, seconds, peak_mb = run_suite(name, path)
            if status != 0:
                failed.append(name)
                print(f"!! {name} exited with status {status}", flush=True)
            figures += read_figures(path)
            figures.append(Figure(name, "peak memory of the suite's process", round(peak_mb), "MB"))
            print(f"({name} took {seconds:.0f} s, peak {peak_mb:.0f} MB)", flush=True)
    print("\n## All figures\n")
    print(render(figures))
    missed = [f"{item.suite}: {item.name}" for item in figures if item.met is False]
    print(f"\n{len(missed)} target(s) missed" + (": " + "; ".join(missed) if missed else ""))
    if failed:
        print(f"suite(s) that failed to run: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
