"""p50/p95 of each dashboard level (province, district, commune) over a large case table.

    python -m bench.reports_dashboard [--count 1000000] [--requests 40]

Uses its own database: SQLite under BENCH_VAR_DIR (default /tmp/khaibaof0-bench), or
PostgreSQL when DATABASE_URL is set (a throwaway cluster: see STACK.md). Missing cases are
added with `generate_cases` first (1 million takes minutes on SQLite), then each page is
requested through the whole Django stack, signed in as the demo official of that level.
Target: p95 <= 300 ms.
"""

import argparse
import os
import statistics
import sys
import time


def setup_django() -> None:
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DEMO_MODE", "true")
    os.environ.setdefault("VAR_DIR", os.environ.get("BENCH_VAR_DIR", "/tmp/khaibaof0-bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def prepare(count: int, days: int) -> None:
    from django.conf import settings
    from django.core.management import call_command

    from cases.models import Case
    from demo.loading import demo_accounts_load
    from units.loading import unit_set_load
    from units.models import Unit

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not Unit.objects.filter(unit_set__code=settings.UNIT_SET, code=settings.PROVINCE_CODE):
        unit_set_load(set_code=settings.UNIT_SET, province_codes={settings.PROVINCE_CODE})
    demo_accounts_load()
    have = Case.objects.count()
    if have < count:
        print(f"generating {count - have:,} cases (have {have:,}) ...", flush=True)
        started = time.perf_counter()
        call_command("generate_cases", count=count - have, days=days, seed=have + 1, verbosity=0)
        print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
    from django.db import connection

    # What autovacuum / PRAGMA optimize would have done on a live site by now.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE cases_case")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("PRAGMA optimize")


def measure(path: str, username: str, requests: int) -> list[float]:
    from django.core.cache import cache
    from django.test import Client

    from accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    for _ in range(3):
        assert client.get(path).status_code == 200, path
    timings = []
    for _ in range(requests):
        cache.clear()  # the public page is cached for 5 minutes; measure its real work
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return timings


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection

    from cases.models import Case

    prepare(args.count, args.days)
    total = Case.objects.count()
    pages = [
        ("province dashboard", "/reports/", "soyte"),
        ("district dashboard", "/reports/", "tptq"),
        ("commune dashboard", "/reports/", "trangda.canbo"),
        ("province service levels", "/reports/service-levels/", "soyte"),
        ("public statistics", "/thong-ke/", "soyte"),  # uncached
    ]
    print(f"\n{connection.vendor}, {total:,} cases, {args.requests} requests per page")
    print(f"{'page':<26}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  target p95 <= 300 ms")
    worst = 0.0
    for label, path, username in pages:
        timings = measure(path, username, args.requests)
        value = p95(timings)
        if "dashboard" in label:
            worst = max(worst, value)
        print(
            f"{label:<26}{statistics.median(timings):>9.1f}{value:>9.1f}{max(timings):>9.1f}"
            f"  {'ok' if value <= 300 else 'OVER'}"
        )
    return 0 if worst <= 300 else 1


if __name__ == "__main__":
    sys.exit(main())
