"""Search of cases by a part of the name, without diacritics: the one home of that rule.

A name matches when its `name_key` (cases.validators.name_key: no marks, lower case, single
spaces) contains the key of the text typed, anywhere: "van an" finds "Nguyễn Văn An" and
"Trần Văn Anh". Containment cannot use an ordinary index, so each database gets one that
can (migration cases 0015):

- PostgreSQL: a GIN trigram index (pg_trgm, `gin_trgm_ops`) on name_key, which serves
  `LIKE '%...%'` as it is.
- SQLite: an FTS5 table with the trigram tokenizer (SQLite 3.34 or later) over name_key,
  kept in step with cases_case by triggers; its LIKE is answered from the trigram index.

Where neither is there (an older SQLite without FTS5 or the trigram tokenizer), the same
containment is tested row by row: right, only slower. Keys of fewer than three letters
cannot use a trigram index on either database and are tested row by row as well.
"""

import functools
import json

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

FTS_TABLE = "cases_case_name_fts"
# LIKE's own wildcards: a key holding one is searched without the FTS table (LIKE on FTS5
# takes no ESCAPE clause). name_key keeps letters, digits, spaces and a few marks only.
LIKE_SPECIAL = frozenset("%_\\")
# Up to this many matching cases are passed to the page's queries as a list of ids (SQLite
# takes 32,766 parameters in a query); more are matched again by each query.
MATCHES_LISTED = 20_000


@functools.cache
def _fts_ready(alias: str) -> bool:
    """Whether the SQLite database `alias` has the FTS table (created by the migration
    when the SQLite library offers FTS5 with the trigram tokenizer)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE]
        )
        return cursor.fetchone() is not None


def listed_ids_q(ids: list[int]) -> Q:
    """Cases whose id is in `ids`. The ids travel as one parameter (a JSON list read by
    json_each on SQLite, an array on PostgreSQL), not one parameter each: thousands of
    parameters cost more to bind (and to log) than the query itself."""
    if connection.vendor == "sqlite":
        return Q(pk__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)]))  # noqa: S611
    if connection.vendor == "postgresql":
        return Q(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [ids]))  # noqa: S611
    return Q(pk__in=ids)


def name_contains_q(key: str) -> Q:
    """Cases whose name_key contains `key` (already a name key: see the module docstring).

    Shapes: `key` a str of at least one character; returns a Q on Case."""
    if (
        connection.vendor == "sqlite"
        and len(key) >= 3
        and not LIKE_SPECIAL.intersection(key)
        and _fts_ready(connection.alias)
    ):
        # The table and its column are fixed names; the pattern is a parameter.
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE name_key LIKE %s"  # noqa: S608
        # Matched once here, not again in each of the page's queries (a list per tab and
        # status, the counts of every tab): a common pair of names costs tens of
        # milliseconds to match at a million cases.
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} LIMIT {MATCHES_LISTED + 1}", [f"%{key}%"])
            ids = [row[0] for row in cursor.fetchall()]
        if len(ids) <= MATCHES_LISTED:
            return listed_ids_q(ids)
        return Q(pk__in=RawSQL(sql, [f"%{key}%"]))  # noqa: S611 - the pattern a parameter
    # PostgreSQL: Django's `contains` is LIKE '%key%', which the trigram index serves.
    return Q(name_key__contains=key)
