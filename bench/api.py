"""The REST API next to the web pages doing the same work, measured in one run.

    python -m bench.api [--cases 1000] [--requests 200]

In process, through Django's test client (the whole middleware stack and the real
database, no HTTP server): the list of a commune's submitted cases (GET /api/v1/cases, 50
a page, against the officer's inbox page /office/) and an enrolment (POST /api/v1/cases
with an Idempotency-Key, against the enrolment form /office/cases/new/). SQLite in a
throwaway folder; PostgreSQL when DATABASE_URL is set. Prints requests per second.
"""

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(var_dir: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver",
            "DEBUG": "false",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "RATELIMIT_ENABLED": "false",
            "TWO_FACTOR_ROLES": "",
            "VAR_DIR": var_dir,
            "LOG_LEVEL": "ERROR",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # The pages name their static files through the manifest, as in production.
    call_command("collectstatic", interactive=False, verbosity=0)


def rate(label: str, count: int, call) -> float:
    statuses = set()
    started = time.perf_counter()
    for n in range(count):
        statuses.add(call(n))
    elapsed = time.perf_counter() - started
    per_second = count / elapsed
    print(f"  {label:<44} {per_second:8.1f} req/s   (statuses {sorted(statuses)})", flush=True)
    return per_second


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-api-") as var_dir:
        setup(var_dir)
        run(args.cases, args.requests)


def run(cases: int, requests: int) -> None:
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    from accounts.models import Role, User
    from api.services import api_token_create
    from cases.testing import declaration_values, make_case
    from units.testing import ensure_units, unit

    ensure_units()
    commune = unit("02209")
    admin = User.objects.create(username="bench.admin", role=Role.SYSTEM_ADMIN, unit=unit("08"))
    officer = User.objects.create(username="bench.officer", role=Role.COMMUNE_OFFICER, unit=commune)
    _, raw = api_token_create(
        by=admin,
        name="Bench",
        role=Role.COMMUNE_OFFICER,
        unit=commune,
        expires_at=timezone.now() + timedelta(days=1),
    )
    for _ in range(cases):
        make_case(commune)
    print(f"  {cases} submitted cases in commune 02209", flush=True)

    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    web = Client()
    web.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")

    print("case list, 50 a page:")
    api_list = rate(
        "API GET /api/v1/cases?status=submitted",
        requests,
        lambda n: api.get("/api/v1/cases?status=submitted&limit=50").status_code,
    )
    web_list = rate(
        "page GET /office/ (inbox)", requests, lambda n: web.get("/office/").status_code
    )

    def values(**extra):
        return json.loads(json.dumps(declaration_values(**extra), default=str))

    def api_enrol(n):
        return api.post(
            "/api/v1/cases",
            json.dumps(values()),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        ).status_code

    def web_enrol(n):
        data = {k: v for k, v in values().items() if v is not None and v != []}
        data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
        data["submission_key"] = str(uuid.uuid4())
        return web.post("/office/cases/new/", data).status_code

    print("enrolment (one new case each):")
    api_enrol_rate = rate("API POST /api/v1/cases", requests, api_enrol)
    web_enrol_rate = rate("page POST /office/cases/new/", requests, web_enrol)
    print(
        f"API / page: list {api_list / web_list:.2f}x, enrolment {api_enrol_rate / web_enrol_rate:.2f}x"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
