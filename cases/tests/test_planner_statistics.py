"""The maintenance job that keeps SQLite's planner statistics (core.db_statistics), as the
case lists need them at a million cases."""

import pytest
from django.core.management import call_command
from django.db import connection

from cases.testing import make_case


@pytest.mark.django_db
def test_maintenance_gives_the_sqlite_planner_statistics_of_the_case_table(commune_a, capsys):
    for _ in range(3):
        make_case(commune_a)
    call_command("maintenance")
    assert "statistics_refresh" in capsys.readouterr().out
    if connection.vendor != "sqlite":
        return  # PostgreSQL's autovacuum analyses by itself; the job does nothing there
    with connection.cursor() as cursor:
        cursor.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'cases_case'")
        stats = dict(cursor.fetchall())
    # Three cases, in one commune: the planner now knows how many rows a unit holds.
    assert stats["case_commune_submitted"].split()[:2] == ["3", "3"]
