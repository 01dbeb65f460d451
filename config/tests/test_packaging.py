"""The production install, as a province's IT department does it: build the wheel, install it
into a fresh virtual environment outside the source tree, configure it from the environment
only, run the release steps, serve it with gunicorn and the task worker, and declare one case
through HTTP the way a citizen's phone does behind nginx.

Slow (a wheel, a virtual environment, the whole unit list): marked `packaging`, it runs in
`make test` and `.ci/run` with the rest of the non-browser suite. On PostgreSQL (CI's second
run, DATABASE_URL set) it works in a database of its own, created and dropped here.
"""

import base64
import http.client
import io
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import uuid
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django_otp.oath import TOTP
from PIL import Image

pytestmark = pytest.mark.packaging

SOURCE = Path(settings.BASE_DIR)
# Never part of a release: the developer's environment and what tools leave behind.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "var", "build", "dist", "*.egg-info", "__pycache__", "*.pyc", ".*_cache"
)
PHONE = "0912345678"
# Benchmarks drive a development checkout; a site never runs them.
NOT_SHIPPED = {"bench"}
WRAPPER = SOURCE / "deploy" / "bin" / "khaibaof0"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _uv() -> str | None:
    found = Path(sys.executable).parent / "uv"
    return str(found) if found.exists() else shutil.which("uv")


def _run(*args, env=None, cwd=None, timeout=600) -> str:
    result = subprocess.run(  # noqa: S603 - our own commands, no shell
        [str(a) for a in args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))} failed ({result.returncode}):\n"
        f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    )
    return result.stdout


def _shipped(source: Path) -> set[str]:
    """The files the wheel must hold: everything of every app (a folder with __init__.py)
    and of the site-wide templates/, static/ and locale/, except tests and the benchmarks."""
    apps = {p.parent.name for p in source.glob("*/__init__.py")} - NOT_SHIPPED
    wanted = set()
    for top in apps | {"templates", "static", "locale"}:
        for path in (source / top).rglob("*"):
            relative = path.relative_to(source)
            if path.is_file() and "tests" not in relative.parts:
                wanted.add(relative.as_posix())
    return wanted


def _build_and_install(work: Path) -> Path:
    """Build the wheel from a copy of the source tree (the checkout is left as it was), check
    that it holds every file the site needs (a new app missing from pyproject.toml's list, a
    new kind of data file missing from MANIFEST.in) and install it into a new virtual
    environment; returns that environment's bin folder."""
    source = work / "source"
    shutil.copytree(SOURCE, source, ignore=NOT_SOURCE)
    dist, venv = work / "dist", work / "venv"
    uv = _uv()
    if uv:
        _run(uv, "build", "--wheel", "--out-dir", dist, source, cwd=work)
        _run(uv, "venv", "--quiet", "--python", sys.executable, venv, cwd=work)
        [wheel] = dist.glob("*.whl")
        _run(uv, "pip", "install", "--quiet", "--python", venv / "bin" / "python", wheel, cwd=work)
    else:
        _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", dist, source, cwd=work)
        _run(sys.executable, "-m", "venv", venv, cwd=work)
        [wheel] = dist.glob("*.whl")
        _run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel, cwd=work)
    with zipfile.ZipFile(wheel) as archive:
        missing = _shipped(source) - set(archive.namelist())
    assert not missing, f"not in the wheel: {sorted(missing)[:20]}"
    return venv / "bin"


def _database(work: Path):
    """A DATABASE_URL of its own: SQLite under VAR_DIR, or a new PostgreSQL database beside
    the one DATABASE_URL names (CI). Returns (url or "", cleanup)."""
    base = os.environ.get("DATABASE_URL", "")
    if not base:
        return "", lambda: None
    import psycopg

    name = f"khaibaof0_pkg_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}")), drop


class Browser:
    """Just enough of a phone's browser behind nginx: cookies kept by hand (they are Secure,
    the hop from nginx is plain HTTP), X-Forwarded-Proto/For as deploy/nginx sets them."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes = b"", content_type: str = ""):
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.7",
            "Accept-Language": "vi",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
            headers["Content-Type"] = content_type
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, response.getheader("Location", ""), text

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, fields: dict, files: dict | None = None):
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        if not files:
            return self.request(
                "POST", path, urlencode(fields).encode(), "application/x-www-form-urlencoded"
            )
        boundary = secrets.token_hex(16)
        body = io.BytesIO()
        for name, value in fields.items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, data, mime) in files.items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'.encode()
            )
            body.write(data + b"\r\n")
        body.write(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, body.getvalue(), f"multipart/form-data; boundary={boundary}"
        )


def _wait_until_up(browser: Browser, server: subprocess.Popen) -> None:
    for _ in range(120):
        assert server.poll() is None, "gunicorn exited"
        try:
            if browser.get("/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError("gunicorn did not answer /healthz")


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_the_wheel_installs_migrates_serves_takes_a_declaration_and_its_first_admin(tmp_path):
    work = tmp_path / "install"
    work.mkdir()
    bin_dir = _build_and_install(work)
    var = work / "var"
    database_url, drop_database = _database(work)
    port = _free_port()
    sms_log = var / "sms.log"
    # Only what a province's environment file gives (.env.example, installed as
    # /etc/khaibaof0/khaibaof0.env): production settings, nothing from the developer's shell.
    settings_env = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "VAR_DIR": str(var),
        "BEHIND_TLS_PROXY": "true",
        "TRUSTED_PROXY_COUNT": "1",
        "SMS_BACKEND": "notifications.backends.FileSMSBackend",
        "SMS_FILE_PATH": str(sms_log),
        "DEBUG": "false",
    }
    if database_url:
        settings_env["DATABASE_URL"] = database_url
    env_file = work / "khaibaof0.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in settings_env.items()))
    var.mkdir()
    base_env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(work), "LANG": "C.UTF-8"}
    # The services run as systemd runs them (deploy/systemd: EnvironmentFile, the venv's
    # programs); the release steps through deploy/bin/khaibaof0, as the README says.
    env = {**base_env, **settings_env}
    wrapper_env = {
        **base_env,
        "KHAIBAOF0_ENV_FILE": str(env_file),
        "KHAIBAOF0_VENV": str(work / "venv"),
        "KHAIBAOF0_USER": "root",  # the test's own account: no switch to a service account
    }
    manage = bin_dir / "khaibaof0"
    run_dir = var  # outside the source tree: nothing may be imported from it

    def khaibaof0(*args, timeout=600):
        return _run(WRAPPER, *args, env=wrapper_env, cwd=work, timeout=timeout)

    def shell(code: str) -> str:
        """The last line `khaibaof0 shell -c code` printed (the shell announces its imports)."""
        return khaibaof0("shell", "-c", code).strip().splitlines()[-1]

    processes = []
    try:
        # The package is what gets imported, not the checkout.
        where = shell("import core; print(core.__file__)")
        assert str(work / "venv") in where and str(SOURCE) not in where

        khaibaof0("migrate", "--verbosity", "0")
        khaibaof0("createcachetable")
        khaibaof0("collectstatic", "--noinput", "--verbosity", "0")
        assert (var / "static" / "css" / "app.css").exists()
        assert (var / "static" / "backoffice" / "backoffice.css").exists()
        khaibaof0("load_units")
        khaibaof0("check", "--deploy", "--fail-level", "WARNING")
        district, commune = json.loads(
            shell(
                "import json; from django.conf import settings; from units.models import Unit; "
                "s = Unit.objects.filter(unit_set__code=settings.UNIT_SET); "
                "print(json.dumps([s.get(code='070').pk, s.get(code='02209').pk]))",
            )
        )

        log = (work / "server.log").open("w")
        processes.append(
            subprocess.Popen(  # noqa: S603
                [bin_dir / "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
                + ["--workers", "2", "--timeout", "120"],
                env=env,
                cwd=run_dir,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        processes.append(
            subprocess.Popen(  # noqa: S603
                [manage, "db_worker"], env=env, cwd=run_dir, stdout=log, stderr=subprocess.STDOUT
            )
        )
        browser = Browser(port)
        _wait_until_up(browser, processes[0])

        # Static files and translations come from the package.
        status, _, page = browser.get("/khai-bao/")
        assert status == 200 and "Khai báo" in page
        assert re.search(r'href="/static/css/app\.[0-9a-f]+\.css"', page), "static not hashed"
        css = re.search(r'href="(/static/css/app\.[0-9a-f]+\.css)"', page).group(1)
        assert browser.get(css)[0] == 200

        # The citizen's path: consent, the form with a photo, check, send.
        status, location, _ = browser.post("/khai-bao/", {"consent": "on"})
        assert status == 302, location
        today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
        fields = {
            "full_name": "Nguyễn Thị Hoa",
            "date_of_birth": "1990-05-05",
            "sex": "female",
            "id_type": "cccd",
            "id_number": "008190123456",
            "phone": PHONE,
            "district": district,
            "commune": commune,
            "village": "Thôn Cầu Bâm",
            "test_type": "rapid_self",
            "positive_test_date": (today - timedelta(days=1)).isoformat(),
            "vaccine_doses": "2",
        }
        status, location, page = browser.post(
            "/khai-bao/thong-tin/", fields, {"test_photo": ("test.jpg", _jpeg(), "image/jpeg")}
        )
        assert status == 302, page[-3000:]
        status, _, page = browser.get(location)
        assert status == 200
        key = re.search(r'name="key" value="([^"]+)"', page).group(1)
        status, location, _ = browser.post(location, {"key": key})
        assert status == 302
        status, _, page = browser.get(location)
        # The worker records the declaration (cases.intake); until then the answer page says
        # so and refreshes itself, as a phone's browser follows it.
        for _ in range(120):
            if status != 200 or 'http-equiv="refresh"' not in page:
                break
            assert processes[1].poll() is None, "the task worker exited"
            time.sleep(0.5)
            status, _, page = browser.get(location)
        assert status == 200
        code = re.search(r"\b[A-Z]{2}-[0-9A-Z]{4}-[0-9A-Z]{4}\b", page).group(0)

        # The case is in the database; the worker sent the citizen the tracking code.
        count = shell(
            f"from cases.models import Case; print(Case.objects.filter(tracking_code={code!r})"
            ".count())",
        )
        assert count == "1"
        for _ in range(240):
            if sms_log.exists() and code in sms_log.read_text(encoding="utf-8"):
                break
            assert processes[1].poll() is None, "the task worker exited"
            time.sleep(0.5)
        messages = [json.loads(line) for line in sms_log.read_text(encoding="utf-8").splitlines()]
        assert any(m["to"] == PHONE and code in m["text"] for m in messages)

        # The first administrator, from the server's shell; a second run is refused.
        out = khaibaof0("create_admin", "qtv.sotttt", "--generate-password")
        password = out.strip().splitlines()[-1].rsplit(" ", 1)[-1]
        again = subprocess.run(  # noqa: S603
            [WRAPPER, "create_admin", "qtv.dutru", "--generate-password"],
            env=wrapper_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert again.returncode != 0 and "--another" in again.stderr

        # The administrator signs in, must first change the password, then manages accounts.
        office = Browser(port)
        office.get("/accounts/login/")
        status, _, _ = office.post(
            "/accounts/login/", {"username": "qtv.sotttt", "password": password}
        )
        assert status == 302
        status, location, _ = office.get("/accounts/users/")
        assert (status, location) == (302, "/accounts/password/")
        new_password = "Tuyen-Quang-Quan-tri-2022"
        status, _, _ = office.post(
            "/accounts/password/",
            {
                "old_password": password,
                "new_password1": new_password,
                "new_password2": new_password,
            },
        )
        assert status == 302
        # Production asks every official for a second factor: the administrator enrols an
        # authenticator app from the secret the page shows, then reaches the accounts.
        status, location, _ = office.get("/accounts/users/")
        assert status == 302 and location.startswith("/accounts/two-factor/")
        status, _, page = office.get(location)
        secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page).group(1)
        key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
        code = f"{TOTP(key).token():06d}"
        status, _, page = office.post("/accounts/two-factor/", {"code": code})
        assert status == 200 and "Đã bật xác thực hai bước" in page
        status, _, page = office.get("/accounts/users/")
        assert status == 200 and "qtv.sotttt" in page
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        drop_database()
