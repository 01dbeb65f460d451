"""Planner statistics of the database, kept fresh by a maintenance job.

SQLite gathers none by itself: without `sqlite_stat1` its planner takes an equality on a
unit (`province_id = 1`) for about ten rows, prefers that index for its order, and walks a
whole province where an index on the phone number or the name would find a few rows (a
search by phone took 24 s at a million cases). `ANALYZE` with an analysis limit reads a
sample of each index (about 50 ms at a million cases), so it can run at every maintenance
run and follow the tables as they grow. PostgreSQL's autovacuum analyses by itself.
"""

from django.db import connection

# Rows sampled per index (SQLite's PRAGMA analysis_limit): enough for the planner's
# estimates, cheap at any table size.
ANALYSIS_LIMIT = 1000


def statistics_refresh() -> None:
    """Refresh SQLite's planner statistics (sqlite_stat1); nothing on other databases."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
