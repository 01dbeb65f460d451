"""Indexes for searching a part of a name (cases.name_search): a GIN trigram index on
PostgreSQL, an FTS5 trigram table kept by triggers on SQLite. Neither is part of the
model's state (each exists on one database only), so both are made here by SQL."""

from django.db import migrations

FTS = "cases_case_name_fts"


def _sqlite_has_fts5_trigram(cursor) -> bool:
    try:
        cursor.execute("CREATE VIRTUAL TABLE temp._trigram_probe USING fts5(x, tokenize='trigram')")
    except Exception:  # noqa: BLE001 - no FTS5, or a library older than 3.34
        return False
    cursor.execute("DROP TABLE temp._trigram_probe")
    return True


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS case_name_key_trgm ON cases_case "
            "USING gin (name_key gin_trgm_ops)"
        )
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            if not _sqlite_has_fts5_trigram(cursor):
                return
        statements = [
            f"CREATE VIRTUAL TABLE {FTS} USING fts5(name_key, content='cases_case', "
            "content_rowid='id', tokenize='trigram')",
            f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON cases_case BEGIN "
            f"INSERT INTO {FTS} (rowid, name_key) VALUES (new.id, new.name_key); END",
            f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON cases_case BEGIN "
            f"INSERT INTO {FTS} ({FTS}, rowid, name_key) VALUES ('delete', old.id, old.name_key); "
            "END",
            f"CREATE TRIGGER {FTS}_update AFTER UPDATE OF name_key ON cases_case BEGIN "
            f"INSERT INTO {FTS} ({FTS}, rowid, name_key) VALUES ('delete', old.id, old.name_key); "
            f"INSERT INTO {FTS} (rowid, name_key) VALUES (new.id, new.name_key); END",
            f"INSERT INTO {FTS} ({FTS}) VALUES ('rebuild')",
        ]
        for sql in statements:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS case_name_key_trgm")
    elif connection.vendor == "sqlite":
        for trigger in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS}_{trigger}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0014_id_type_terms"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
