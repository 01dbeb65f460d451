"""Indexes on cases_case that the reports need, created from here so that the cases app's
model state stays its own (additive only; dropped on reversal).

- status, isolation_end, commune_id: cases eligible for recovery but not confirmed, counted
  per commune from the index alone, and the list of those past their earliest recovery date.
(A commune's case list by date uses the cases app's (commune, submitted_at, id) index.)
"""

from django.db import migrations

INDEXES = {
    "reports_case_status_isoend_commune": "cases_case (status, isolation_end, commune_id)",
}


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("cases", "0002_seed_rules_2022")]
    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {target}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, target in INDEXES.items()
    ]
