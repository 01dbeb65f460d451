"""p50/p95 of every staff page (dashboards, case lists, searches, ...) over a large case table.

    python -m bench.reports_dashboard [--count 1000000] [--pg-count 1000000] [--requests 40]
    BENCH_SCALE=full python -m bench.reports_dashboard      # 10 million on PostgreSQL

Runs on SQLite (`--count` cases, under BENCH_VAR_DIR, default /tmp/khaibaof0-bench, kept
between runs) and, when PostgreSQL is installed (`make test-deps`), on PostgreSQL
(`--pg-count` cases) in a throwaway cluster, or at DATABASE_URL when set (kept, so that a
second run needs no generation). Each database is measured in a process of its own.
Missing cases are added with `generate_cases` first: 100,000 with their whole story, the
rest copied by the database (about 7 minutes for 1 million on a busy two-core machine;
10 million on PostgreSQL takes most of an hour, hence BENCH_SCALE=full, not the default).
The planner statistics are refreshed as the maintenance job does on a live site
(core.db_statistics; autovacuum's ANALYZE on PostgreSQL); then each page is requested
through the whole Django stack, signed in as the demo official of that level.
Target (issue 15): every staff page p95 <= 100 ms: dashboards, case lists of every tab
and searches by name, phone, ID number and tracking code for the commune, the district and
the province, service levels, the audit log, pending documents.
"""

import argparse
import os
import statistics
import sys
import time

from bench.table import figure


def setup_django() -> None:
    # Production settings (DEBUG off: no query log, compressed manifest static files), with
    # the demo app for the generator and the demo accounts.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("DEMO_MODE", "true")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("SECURE_COOKIES", "false")
    os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
    os.environ.setdefault("TWO_FACTOR_ROLES", "")
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
    if not os.path.exists(os.path.join(settings.STATIC_ROOT, "staticfiles.json")):
        call_command("collectstatic", interactive=False, verbosity=0)
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

    from core.db_statistics import statistics_refresh

    # What autovacuum, or the maintenance job on SQLite, would have done on a live site.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    statistics_refresh()


TARGET_MS = 100  # issue 15: every staff page p95 <= 100 ms


def _client(username: str):
    from django.test import Client

    from accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    return client


def _search_path(client, text: str, tab: str) -> str:
    """The inbox address of a search: the text goes in a POST (never in a URL), the page
    answers with a redirect to the results under a short search id."""
    response = client.post("/office/", {"tab": tab, "q": text})
    assert response.status_code == 302, response.status_code
    return response["Location"]


def measure(client, path: str, requests: int) -> list[float]:
    from django.core.cache import cache

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


def staff_pages(sample) -> list[tuple[str, str, str | tuple[str, str]]]:
    """(label, user, path or (search text, tab)) for every staff page the issue names."""
    pages = [
        ("province dashboard", "soyte", "/reports/"),
        ("district dashboard", "tptq", "/reports/"),
        ("commune dashboard", "trangda.canbo", "/reports/"),
        ("province service levels", "soyte", "/reports/service-levels/"),
        ("province audit log", "soyte", "/reports/audit/"),
        ("commune pending documents", "trangda.lanhdao", "/documents/pending/"),
        ("public statistics (uncached)", "soyte", "/thong-ke/"),
    ]
    for level, user in (("province", "soyte"), ("district", "tptq"), ("commune", "trangda.canbo")):
        for tab in ("review", "isolating", "recovery", "overdue", "danger", "all"):
            pages.append((f"{level} case list, {tab}", user, f"/office/?tab={tab}"))
        for what, text in (
            ("name", sample["name"]),
            ("phone", sample["phone"]),
            ("ID number", sample["id_number"]),
            ("tracking code", sample["tracking_code"]),
        ):
            pages.append((f"{level} search by {what}", user, (text, "all")))
    return pages


FULL_PG_COUNT = 10_000_000
DEFAULT_PG_COUNT = 1_000_000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="cases on SQLite")
    parser.add_argument(
        "--pg-count",
        type=int,
        default=None,
        help=f"cases on PostgreSQL (default {DEFAULT_PG_COUNT:,}; BENCH_SCALE=full: "
        f"{FULL_PG_COUNT:,})",
    )
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return measure_here(args.count, args.days, args.requests)
    if args.pg_count is None:
        full = os.environ.get("BENCH_SCALE") == "full"
        args.pg_count = FULL_PG_COUNT if full else DEFAULT_PG_COUNT
    from bench.pgcluster import throwaway_postgres

    status = 0
    with throwaway_postgres() as database_url:
        if database_url:
            status |= _child(args, args.pg_count, {"DATABASE_URL": database_url})
        else:
            print("PostgreSQL is not installed (make test-deps): SQLite only")
    if not args.no_sqlite:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        status |= _child(args, args.count, env, replace=True)
    return status


def _child(args, count: int, env: dict, *, replace: bool = False) -> int:
    """Measure one database in a process of its own (settings read DATABASE_URL once)."""
    import subprocess

    command = [sys.executable, "-m", "bench.reports_dashboard", "--child", "--count", str(count)]
    command += ["--days", str(args.days), "--requests", str(args.requests)]
    return subprocess.run(command, env=env if replace else {**os.environ, **env}).returncode


def measure_here(count: int, days: int, requests: int) -> int:
    setup_django()
    from django.db import connection

    from cases.models import Case

    prepare(count, days)
    total = Case.objects.count()
    one = Case.objects.filter(commune__code="02209").order_by("pk").first()
    sample = {
        "name": " ".join(one.full_name.split()[-2:]),
        "phone": one.phone,
        "id_number": one.id_number or one.tracking_code,
        "tracking_code": one.tracking_code,
    }
    database = f"{connection.vendor}, {total:,} cases"
    print(f"\n{database}, {requests} requests per page")
    print(f"{'page':<36}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  target p95 <= {TARGET_MS} ms")
    clients: dict = {}
    for label, username, where in staff_pages(sample):
        client = clients.setdefault(username, _client(username))
        path = _search_path(client, *where) if isinstance(where, tuple) else where
        timings = measure(client, path, requests)
        value = p95(timings)
        met = value <= TARGET_MS
        print(
            f"{label:<36}{statistics.median(timings):>9.1f}{value:>9.1f}{max(timings):>9.1f}"
            f"  {'ok' if met else 'OVER'}",
            flush=True,
        )
        figure(
            "reports_dashboard",
            f"{label} p95 ({database})",
            value,
            "ms",
            target=f"<= {TARGET_MS} ms",
            met=met,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
