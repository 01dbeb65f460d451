"""Document numbers: per commune, per kind, per calendar year, from 1, never skipped or repeated.

The number is taken inside the transaction that stores the issued document. The counter
row stays locked until that transaction ends, so concurrent issuers of one series queue
up (PostgreSQL: the row lock; SQLite: the write lock taken by BEGIN IMMEDIATE); if
rendering, signing or storing fails, the rollback returns the number with everything else.
"""

from django.db import connection

from documents.models import DocumentCounter
from units.models import Unit


def _increment_sql() -> str:
    """`UPDATE … SET last_number = last_number + 1 WHERE <series> RETURNING last_number`:
    the increment, its row lock and the new number in one statement (PostgreSQL, and
    SQLite from 3.35; the project's two databases). The ORM cannot say RETURNING on an
    update, and a separate SELECT was one more round trip per issued document."""
    meta, quote = DocumentCounter._meta, connection.ops.quote_name
    column = {name: quote(meta.get_field(name).column) for name in ("commune", "kind", "year")}
    last = quote(meta.get_field("last_number").column)
    # Only quoted names from the model go into the text; the values are parameters.
    return (
        f"UPDATE {quote(meta.db_table)} SET {last} = {last} + 1 "  # noqa: S608
        f"WHERE {column['commune']} = %s AND {column['kind']} = %s AND {column['year']} = %s "
        f"RETURNING {last}"
    )


def number_take(*, commune: Unit, kind: str, year: int) -> int:
    """The next number of the series (1 for its first document), held until the caller's
    transaction ends. RuntimeError outside a transaction.

    One statement per document once the series exists; its first document also creates the
    counter row (a concurrent twin's insert is ignored, and both then queue on that row)."""
    if not connection.in_atomic_block:
        raise RuntimeError("number_take() must run inside the transaction storing the document")
    params = [commune.pk, kind, year]
    with connection.cursor() as cursor:
        cursor.execute(_increment_sql(), params)
        row = cursor.fetchone()
        if row is None:
            DocumentCounter.objects.bulk_create(
                [DocumentCounter(commune_id=commune.pk, kind=kind, year=year)],
                ignore_conflicts=True,
            )
            cursor.execute(_increment_sql(), params)
            row = cursor.fetchone()
    return row[0]
