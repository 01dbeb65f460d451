"""Issuing sends each statement it needs once (issue 15, item 2): the same read twice per
document was a round trip to the database server each time, on every document of a batch.

Counts of statements, not timings: speed is measured by `python -m bench.documents_issue`.
"""

import hashlib
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import Document, DocumentTemplateSettings
from documents.services import document_issue
from documents.tests.conftest import accept, decision_of
from notifications.models import Notification

pytestmark = pytest.mark.django_db

# BEGIN/SAVEPOINT ... COMMIT/RELEASE, lock the case (where the database has row locks),
# lock and read the document, the wording, the number, the document's row, the case
# event, the audit entry, the case's link and the citizen's message with its delivery
# task. Before: 18 on either database (bench.documents_issue); now 12 on SQLite, 13 on
# PostgreSQL (the case lock).
MOST_STATEMENTS = 13


def _tables(statements: list[dict]) -> Counter:
    """How many statements name each table (SELECT ... FROM, UPDATE, INSERT INTO)."""
    counts = Counter()
    for statement in statements:
        sql = statement["sql"]
        match = re.match(r'\s*(?:SELECT .*? FROM|UPDATE|INSERT(?: OR IGNORE)? INTO)\s+"(\w+)"', sql)
        if match:
            counts[match.group(1)] += 1
    return counts


def _issue_counted(document, by):
    with CaptureQueriesContext(connection) as captured:
        issued = document_issue(document=document, by=by)
    return issued, captured.captured_queries


def test_issuing_reads_each_thing_once(commune_a, officer_a, leader_a):
    # The commune's first document starts its number series; the second is the steady state.
    document_issue(document=decision_of(accept(commune_a, officer_a)), by=leader_a)
    case = accept(commune_a, officer_a)
    issued, statements = _issue_counted(decision_of(case), leader_a)

    tables = _tables(statements)
    assert tables["documents_documenttemplatesettings"] == 1  # the wording, read once
    assert tables["units_unitset"] <= 1  # by default_settings; never again for the text
    assert tables["documents_documentcounter"] == 1  # the number, in one statement
    assert len(statements) <= MOST_STATEMENTS, "\n".join(s["sql"][:120] for s in statements)
    assert issued.number_label == "02/QĐ-UBND"


def test_a_province_wording_costs_no_unit_set_read(commune_a, officer_a, leader_a):
    DocumentTemplateSettings.objects.create(
        unit=commune_a.province, legal_bases=["Căn cứ Luật A"], decision_recipients=["Như Điều 3"]
    )
    document_issue(document=decision_of(accept(commune_a, officer_a)), by=leader_a)
    issued, statements = _issue_counted(decision_of(accept(commune_a, officer_a)), leader_a)
    assert _tables(statements)["units_unitset"] == 0
    assert len(statements) <= MOST_STATEMENTS - 1
    assert "Căn cứ Luật A" in " ".join(issued.data["legal_bases"])


def test_what_issuing_writes_is_in_the_database(commune_a, officer_a, leader_a):
    """The row is updated column by column (only what issuing changes): all of it is there
    when read back, and what preparing wrote is kept."""
    case = accept(commune_a, officer_a, full_name="Lò Thị Mai")
    prepared = decision_of(case)
    issued = document_issue(document=prepared, by=leader_a)

    stored = Document.objects.get(pk=issued.pk)
    assert stored.state == Document.State.ISSUED
    assert (stored.year, stored.number, stored.symbol) == (issued.year, 1, "QĐ-UBND")
    assert stored.issued_on == issued.issued_on and stored.issued_by == leader_a
    assert stored.issued_at is not None
    assert stored.signer_name == leader_a.full_name and stored.signer_title == "CHỦ TỊCH"
    assert stored.data["number"] == "01/QĐ-UBND"
    assert stored.data["person"]["full_name"] == "Lò Thị Mai"
    with stored.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == stored.sha256
    assert stored.verification_token == issued.verification_token != ""
    assert stored.signed_with_dev_certificate
    assert (stored.prepared_by, stored.prepared_at) == (officer_a, prepared.prepared_at)
    assert Notification.objects.filter(kind="decision_issued", object_id=str(case.pk)).count()
