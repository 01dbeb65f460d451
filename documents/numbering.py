"""Document numbers: per commune, per kind, per calendar year, from 1, never skipped or repeated.

The number is taken inside the transaction that stores the issued document. The counter
row stays locked until that transaction ends, so concurrent issuers of one series queue
up (PostgreSQL: the row lock; SQLite: the write lock taken by BEGIN IMMEDIATE); if
rendering, signing or storing fails, the rollback returns the number with everything else.
"""

from django.db import connection
from django.db.models import F

from documents.models import DocumentCounter
from units.models import Unit


def number_take(*, commune: Unit, kind: str, year: int) -> int:
    """The next number of the series, held until the caller's transaction ends."""
    if not connection.in_atomic_block:
        raise RuntimeError("number_take() must run inside the transaction storing the document")
    series = {"commune": commune, "kind": kind, "year": year}
    # The first document of a series creates its counter; a concurrent twin's insert is
    # ignored, and both then queue on the same row.
    DocumentCounter.objects.bulk_create([DocumentCounter(**series)], ignore_conflicts=True)
    DocumentCounter.objects.filter(**series).update(last_number=F("last_number") + 1)
    return DocumentCounter.objects.filter(**series).values_list("last_number", flat=True).get()
