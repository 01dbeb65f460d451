"""Production mode refuses unsafe configuration, and a good one passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "Zx9-Lm2_Qw7" * 5


def run_manage(tmp_path, *args, **env_overrides):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "VAR_DIR": str(tmp_path),
    }
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "f0.example.gov.vn"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "f0.example.gov.vn"}, "at least 50"),
        ({"SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "x", "DEBUG": "maybe"}, "DEBUG"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "x", "FILE_STORAGE": "s3"}, "S3_BUCKET"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "x", "FILE_STORAGE": "nfs"}, "FILE_STORAGE"),
        (
            {
                "SECRET_KEY": GOOD_KEY,
                "ALLOWED_HOSTS": "x",
                "DATABASE_REPLICA_URL": "postgres://r/db",
            },
            "DATABASE_URL",
        ),
    ],
)
def test_production_refuses_to_start_unsafely(tmp_path, env, message):
    result = run_manage(tmp_path, "check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_secret_key_may_come_from_a_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(GOOD_KEY + "\n")
    result = run_manage(
        tmp_path, "check", SECRET_KEY_FILE=str(key_file), ALLOWED_HOSTS="f0.example.gov.vn"
    )
    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_in_production(tmp_path):
    result = run_manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="f0.example.gov.vn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_real_site_has_no_demo_data_commands(tmp_path):
    env = {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "f0.example.gov.vn"}
    for command in ("load_demo", "generate_cases"):
        result = run_manage(tmp_path, command, **env)
        assert result.returncode != 0
        assert f"Unknown command: '{command}'" in result.stderr
    demo_site = run_manage(tmp_path, "help", "generate_cases", DEMO_MODE="true", **env)
    assert demo_site.returncode == 0, demo_site.stderr


def test_production_asks_every_role_for_a_second_factor_by_default(tmp_path):
    env = {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "f0.example.gov.vn"}
    show = ["shell", "-c", "from django.conf import settings; print(settings.TWO_FACTOR_ROLES)"]
    production = run_manage(tmp_path, *show, **env)
    assert production.returncode == 0, production.stderr
    for role in ("system_admin", "province_health", "district_staff", "commune_leader"):
        assert role in production.stdout
    assert "commune_officer" in production.stdout
    development = run_manage(tmp_path, *show, DEBUG="true")
    assert development.stdout.strip().splitlines()[-1] == "[]"
