"""Declarations per second through the real stack (gunicorn, real database), next to a bare
Django view inserting one row in the same run.

    python -m bench.declarations [--count 2000] [--workers 4] [--concurrency 16]

Uses DATABASE_URL when set; otherwise starts a throwaway PostgreSQL cluster (when PostgreSQL
is installed) and also measures SQLite. Rate limits are switched off for the run: the load
comes from one address.
"""

import argparse
import http.client
import io
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.table import figure

ROOT = Path(__file__).resolve().parent.parent
CSRF = "b" * 32


def base_env(var_dir: str, database_url: str | None) -> dict:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/root"),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "RATELIMIT_ENABLED": "false",
        "VAR_DIR": var_dir,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


PREPARE = r"""
import json, sys, uuid, io
import django
django.setup()
from datetime import timedelta
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from units.models import Unit
from uploads.models import Upload
from uploads.services import upload_create

count, offset = int(sys.argv[1]), int(sys.argv[2])
commune = Unit.objects.get(unit_set__code="gso-2021", code="02209")
buf = io.BytesIO(); Image.new("RGB", (800, 600), (200, 40, 40)).save(buf, "JPEG")
template = upload_create(file=ContentFile(buf.getvalue(), name="t.jpg"), kind="test_photo")
tested = (timezone.localdate() - timedelta(days=1)).isoformat()
clones = [Upload(kind="test_photo", file=template.file.name, size=template.size, width=template.width,
                 height=template.height, sha256=template.sha256, phash=template.phash) for _ in range(count)]
Upload.objects.bulk_create(clones, batch_size=1000)
out = []
for n, upload in enumerate(clones):
    serial = offset + n
    values = {
        "full_name": "Nguyễn Thị Hoa", "date_of_birth": "1990-05-05", "sex": "female",
        "id_type": "cccd", "id_number": f"008190{serial:06d}", "guardian_name": "",
        "guardian_id_number": "", "guardian_phone": "", "phone": f"09{serial:08d}", "email": "",
        "village": "Thôn Cầu Bâm", "house_number": "", "workplace": "",
        "social_insurance_number": "", "test_type": "rapid_self", "test_place": "",
        "positive_test_date": tested, "vaccine_doses": 2, "last_dose_date": None,
        "symptoms": ["cough"], "symptom_onset_date": None, "spo2": None, "breathing_rate": None,
        "temperature": None, "comorbidities": [], "pregnant": False, "household_size": None,
    }
    key = str(uuid.uuid4())
    s = SessionStore()
    # What the form step leaves in the session (public.session.draft_save).
    s["declaration"] = {
        "key": key, "consent_at": timezone.now().isoformat(), "draft": {}, "values": values,
        "commune_id": commune.pk,
        "photos": {"test_photo": {"id": upload.pk, "token": upload.token}, "id_photo": None},
    }
    s["staged_uploads"] = [upload.token]
    s.create()
    out.append([s.session_key, key])
json.dump(out, sys.stdout)
"""

CONSENTED = r"""
import json, sys, uuid
import django
django.setup()
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
out = []
for _ in range(int(sys.argv[1])):
    key = str(uuid.uuid4())
    s = SessionStore()
    s["declaration"] = {"key": key, "consent_at": timezone.now().isoformat(), "draft": None}
    s.create()
    out.append([s.session_key, key])
json.dump(out, sys.stdout)
"""

CASES = r"""
import json, django
django.setup()
from cases.models import Case
print(json.dumps(Case.objects.count()))
"""

# The submissions the worker has recorded (cases.intake): how many are still pending, and
# how long each recorded one waited between "Gửi" and its case, in seconds.
INTAKES = r"""
import json, django
django.setup()
from cases.models import Intake
pending = Intake.objects.filter(state="pending").count()
lags = sorted((i.completed_at - i.created_at).total_seconds()
              for i in Intake.objects.filter(state="done").only("created_at", "completed_at"))
print(json.dumps({"pending": pending, "lags": lags}))
"""

COMMUNE_PK = r"""
import json, django
django.setup()
from units.models import Unit
print(json.dumps(Unit.objects.get(unit_set__code="gso-2021", code="02209").pk))
"""


def run_python(env, code, *args) -> list:
    result = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return json.loads(result.stdout)


def request(port, method, path, body=b"", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, (time.perf_counter() - started) * 1000


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{item}\r\n'.encode()
            )
    for name, (filename, content) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: image/jpeg\r\n\r\n".encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def photo_100kb() -> bytes:
    from PIL import Image

    quality, size = 80, (600, 450)
    image = Image.effect_noise(size, 24).convert("RGB")
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def load(port, jobs, concurrency):
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda job: job(port), jobs))
    elapsed = time.perf_counter() - started
    latencies = sorted(ms for _status, ms in results)
    bad = [status for status, _ms in results if status not in (200, 302)]
    return {
        "n": len(results),
        "per_s": len(results) / elapsed,
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[max(0, int(len(latencies) * 0.95) - 1)],
        "errors": len(bad),
    }


def scenario_bare(count):
    return [lambda port: request(port, "POST", "/bench/insert/") for _ in range(count)]


def _send(port, session_key, key):
    body = f"csrfmiddlewaretoken={CSRF}&key={key}".encode()
    headers = {
        "Cookie": f"sessionid={session_key}; csrftoken={CSRF}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return request(port, "POST", "/khai-bao/kiem-tra/", body, headers)


def scenario_declare(sessions):
    """The step that writes the case (check-your-answers, "Gửi"): photo staged earlier."""
    return [lambda port, s=s, k=k: _send(port, s, k) for s, k in sessions]


def scenario_declare_with_photo(sessions, commune_pk, photo):
    """The form sent with a 100 KB photo (sniffed, re-encoded, staged), then "Gửi"."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    # The server's date (Vietnam), not this process's: Django is not set up here.
    tested = (datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date() - timedelta(days=1)).isoformat()

    def job(n, session_key, key):
        fields = {
            "csrfmiddlewaretoken": CSRF,
            "full_name": "Trần Văn Nam",
            "date_of_birth": "1985-02-03",
            "sex": "male",
            "id_type": "cccd",
            "id_number": f"008085{n:06d}",
            "phone": f"03{n:08d}",
            "commune": str(commune_pk),
            "village": "Tổ 7",
            "test_type": "rapid_self",
            "positive_test_date": tested,
            "vaccine_doses": "2",
        }
        body, content_type = multipart(fields, {"test_photo": ("que.jpg", photo)})
        headers = {
            "Cookie": f"sessionid={session_key}; csrftoken={CSRF}",
            "Content-Type": content_type,
        }

        def run(port):
            status, form_ms = request(port, "POST", "/khai-bao/thong-tin/", body, headers)
            if status != 302:
                return status, form_ms
            status, send_ms = _send(port, session_key, key)
            return status, form_ms + send_ms

        return run

    return [job(n, s, k) for n, (s, k) in enumerate(sessions)]


def drained(env, since: float, timeout: float = 600) -> dict:
    """Wait until the worker has recorded every submission; the recording's figures."""
    while True:
        intakes = run_python(env, INTAKES)
        if not intakes["pending"] or time.perf_counter() - since > timeout:
            break
        time.sleep(0.5)
    lags = intakes["lags"] or [0.0]
    return {
        "pending": intakes["pending"],
        "drain_s": time.perf_counter() - since,
        "lag_p50_s": statistics.median(lags),
        "lag_p95_s": lags[max(0, int(len(lags) * 0.95) - 1)],
    }


def measure(label, database_url, args):
    var_dir = tempfile.mkdtemp(prefix="bench-decl-")
    # No collectstatic for a bench: an empty STATIC_ROOT keeps WhiteNoise from warning.
    os.makedirs(os.path.join(var_dir, "static"))
    env = base_env(var_dir, database_url)
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    manage(env, "load_units", "--province", "08")
    staged = run_python(env, PREPARE, args.count, 0)
    consented = run_python(env, CONSENTED, args.count // 2)
    commune_pk = run_python(env, COMMUNE_PK)
    photo = photo_100kb()
    port = 18000 + os.getpid() % 1000
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    # The task worker, as on a site: it records the submissions (cases.intake) while the
    # citizens send them, on the same two cores.
    # Niced as deploy/systemd/khaibaof0-worker.service runs it.
    worker = subprocess.Popen(
        ["nice", "-n", "10", sys.executable, "manage.py", "db_worker", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                if request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        load(port, scenario_bare(200), args.concurrency)  # warm-up
        bare = load(port, scenario_bare(args.count), args.concurrency)
        started = time.perf_counter()
        declare = load(port, scenario_declare(staged), args.concurrency)
        recording = drained(env, started)
        created = run_python(env, CASES)
        with_photo = load(
            port, scenario_declare_with_photo(consented, commune_pk, photo), args.concurrency
        )
        drained(env, time.perf_counter())
        created_with_photo = run_python(env, CASES) - created
    finally:
        server.terminate()
        worker.terminate()
        server.wait()
        worker.wait()
    # A redirect alone proves nothing: the cases must be in the database.
    if created != args.count or created_with_photo != len(consented):
        raise RuntimeError(
            f"expected {args.count} + {len(consented)} cases, found {created} + {created_with_photo}"
        )
    return {
        "database": label,
        "bare": bare,
        "declare": declare,
        "with_photo": with_photo,
        "recording": recording,
        "photo_kb": round(len(photo) / 1024),
    }


def report(result):
    bare, declare, photo = result["bare"], result["declare"], result["with_photo"]
    print(f"\n== Declarations through gunicorn on {result['database']} ==")
    print(f"{'scenario':44} {'n':>6} {'per s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}")
    for name, row in [
        ("bare view inserting one row", bare),
        ("declaration sent (photo staged before)", declare),
        (f"declaration with a {result['photo_kb']} KB photo (2 requests)", photo),
    ]:
        print(
            f"{name:44} {row['n']:>6} {row['per_s']:>8.0f} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['errors']:>6}"
        )
    print(
        f"ratio declaration / bare insert: {declare['per_s'] / bare['per_s']:.2f}"
        f"  (with photo: {photo['per_s'] / bare['per_s']:.2f})"
    )
    recording = result["recording"]
    print(
        f"recorded by the worker: {declare['n']} submissions in {recording['drain_s']:.1f} s from"
        f" the first; each waited p50 {recording['lag_p50_s']:.1f} s, p95"
        f" {recording['lag_p95_s']:.1f} s between 'Gửi' and its case"
    )
    database, baseline = result["database"], f"bare insert {bare['per_s']:.0f}/s"
    ratio = declare["per_s"] / bare["per_s"]
    figure(
        "declarations",
        f"declaration / bare insert ({database})",
        ratio,
        "x",
        target=">= 0.5 x",
        baseline=baseline,
        met=ratio >= 0.5,
    )
    figure(
        "declarations",
        f"submission to case, p95, while {declare['n']} arrive at once ({database})",
        recording["lag_p95_s"],
        "s",
        baseline=f"{declare['n']} recorded in {recording['drain_s']:.0f} s",
    )
    figure(
        "declarations",
        f"declarations with a photo ({database})",
        photo["per_s"],
        "/s",
        target=">= 100/s",
        baseline=baseline,
        met=photo["per_s"] >= 100,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--sqlite", action="store_true", help="also measure SQLite")
    args = parser.parse_args(argv)
    from bench.pgcluster import throwaway_postgres

    results = []
    with throwaway_postgres() as database_url:
        if database_url:
            results.append(measure("PostgreSQL", database_url, args))
    if args.sqlite or not results:
        results.append(measure("SQLite", None, args))
    for result in results:
        report(result)
    return results


if __name__ == "__main__":
    main()
