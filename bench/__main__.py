"""`make bench`: every benchmark of the project, one after the other, printing figures.

python -m bench                 # all
python -m bench declarations    # some, by module name
"""

import importlib
import sys
import time

SUITES = [
    ("declarations", "public form: declarations per second through gunicorn"),
    ("documents_issue", "issuing signed decisions (number, render, sign, store)"),
    ("reports_dashboard", "dashboards at 1 million cases (10 million on PostgreSQL)"),
    ("reports_export", "100,000-row Excel export: time and memory"),
    ("api", "REST API next to the pages: case list and enrolment, requests per second"),
]


def main(argv: list[str]) -> int:
    wanted = argv or [name for name, _ in SUITES]
    failed = []
    for name, title in SUITES:
        if name not in wanted:
            continue
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"bench.{name}":
                print(f"\n## {name}: not available in this checkout")
                continue
            raise
        print(f"\n## {name}: {title}", flush=True)
        started = time.perf_counter()
        try:
            module.main([])
        except Exception as exc:  # noqa: BLE001 - report and go on with the other suites
            failed.append(name)
            print(f"!! {name} failed: {exc!r}")
        print(f"({name} took {time.perf_counter() - started:.0f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
