"""deploy/bin/khaibaof0-backup and khaibaof0-restore, run as a province's IT department runs
them: back up a PostgreSQL database with cases, accounts and a photo, restore into an empty
database and an empty folder, and find every row and file again. PostgreSQL only (pg_dump):
the suite's PostgreSQL run (CI's second pass, DATABASE_URL set) runs it."""

import os
import shutil
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from cases.testing import make_case

DEPLOY = Path(settings.BASE_DIR) / "deploy" / "bin"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="backups are of PostgreSQL (the suite's PostgreSQL run, DATABASE_URL set)",
)


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgresql://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"


def _counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    tables = sorted(row[0] for row in cursor.fetchall())
    result = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from pg_tables
        result[table] = cursor.fetchone()[0]
    return result


def _run(script: str, *args, env_file: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [DEPLOY / script, *map(str, args)],
        env={**os.environ, "KHAIBAOF0_ENV_FILE": str(env_file)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_backup_restores_into_an_empty_database_with_every_row_and_file(
    transactional_db, seeded_rules, commune_a, officer_a, leader_a, tmp_path, private_storage
):
    import psycopg

    if not (shutil.which("pg_dump") and shutil.which("psql")):
        # PostgreSQL's client programs come with the server .ci/run installs.
        if os.environ.get("CI") == "true":
            pytest.fail("pg_dump and psql are missing: the backup scripts cannot be tested")
        pytest.skip("pg_dump and psql are not installed")
    for n in range(3):
        make_case(commune_a, full_name=f"Nguyễn Văn {n}")
    photo = default_storage.save("uploads/test.jpg", ContentFile(b"\xff\xd8 a photo"))
    source_env = tmp_path / "site.env"
    source_env.write_text(
        f"DATABASE_URL={_url(connection.settings_dict['NAME'])}\n"
        f"PRIVATE_STORAGE_ROOT={private_storage}\n"
    )
    restored_name = f"khaibaof0_restore_{uuid.uuid4().hex[:10]}"
    restored_private = tmp_path / "restored-private"
    restored_env = tmp_path / "restored.env"
    restored_env.write_text(
        f"DATABASE_URL={_url(restored_name)}\nPRIVATE_STORAGE_ROOT={restored_private}\n"
    )
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{restored_name}"')
    try:
        backup = _run("khaibaof0-backup", tmp_path / "backups", env_file=source_env)
        assert backup.returncode == 0, backup.stderr
        folder = Path(backup.stdout.strip().splitlines()[-1])
        assert {p.name for p in folder.iterdir()} == {
            "database.dump",
            "private.tar.gz",
            "SHA256SUMS",
        }

        restore = _run("khaibaof0-restore", folder, env_file=restored_env)
        assert restore.returncode == 0, restore.stderr

        with connection.cursor() as cursor:
            before = _counts(cursor)
        with psycopg.connect(_url(restored_name)) as restored, restored.cursor() as cursor:
            after = _counts(cursor)
        assert after == before
        assert after["cases_case"] == 3 and after["accounts_user"] == 2
        assert (restored_private / photo).read_bytes() == b"\xff\xd8 a photo"

        # A second restore would mix two sites: refused, nothing touched.
        again = _run("khaibaof0-restore", folder, env_file=restored_env)
        assert again.returncode == 1
        assert "restore only into an empty one" in again.stderr
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
