"""Write synthetic cases in bulk (executemany on SQLite, COPY on PostgreSQL) with their
events, recovery declarations, documents and summary effects, in one transaction.

Documents follow the rule of the documents app: the step that calls for one
(documents.services.PREPARED_AFTER) prepares it, and a "document issued" event issues that
row with the commune's next number. A synthetic document has no PDF (nothing was signed):
its data says `synthetic`, and the pages offer no download for it.
"""

import json
import operator
import random
import secrets
import time as clock
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import islice

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Count, Max
from django.utils import timezone

from cases.choices import OPEN_STATUSES, EventKind, Outcome, RejectReason, TestedBy
from cases.models import Case, CaseEvent, RecoveryDeclaration
from cases.tracking import ALPHABET
from demo.synthetic import SYNTHETIC_LABEL, GenerateResult, Generator, day_counts
from documents.composition import SIGNER_LINES
from documents.models import Document, DocumentCounter
from documents.selectors import wording_for
from documents.services import PREPARED_AFTER
from reports.facts import Accumulator, Fact
from reports.summaries import accumulator_write, refresh_locked, state_lock
from units.models import Unit

CITIZEN_LABEL = "Người dân"
WRITTEN = (Case, CaseEvent, RecoveryDeclaration, Document)
BULK_FROM = 200_000
OFFICER_KINDS = {
    EventKind.ENROLLED,
    EventKind.ACCEPTED,
    EventKind.REJECTED,
    EventKind.TRANSFERRED,
    EventKind.RECOVERY_CONFIRMED,
    EventKind.CLOSED,
}


class BulkInserter:
    """Inserts rows given as dicts of attnames, adapted once per column for the backend."""

    def __init__(self, model: type[models.Model]):
        self.fields = list(model._meta.concrete_fields)
        self.table = model._meta.db_table
        self.columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        self.postgres = connection.vendor == "postgresql"
        self.getter = operator.itemgetter(*(f.attname for f in self.fields))
        # Fields added to the model later than this generator get their defaults.
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.missing: list[str] | None = None
        self.adapters = [(i, a) for i, f in enumerate(self.fields) if (a := self._adapter(f))]

    def _adapter(self, f: models.Field) -> Callable | None:
        if isinstance(f, models.JSONField):
            return json.dumps
        if self.postgres:
            return None
        if isinstance(f, models.DateTimeField):
            return lambda v: None if v is None else str(v.astimezone(UTC).replace(tzinfo=None))
        if isinstance(f, models.DateField):
            return lambda v: None if v is None else v.isoformat()
        if isinstance(f, models.DecimalField):
            return lambda v: None if v is None else str(Decimal(v))
        if isinstance(f, models.BooleanField):
            return int
        return None

    def insert(self, rows: list[dict]) -> None:
        if not rows:
            return
        if self.missing is None:
            self.missing = [name for name in self.defaults if name not in rows[0]]
        tuples = []
        for row in rows:
            for name in self.missing:
                row[name] = self.defaults[name]
            values = list(self.getter(row))
            for index, adapt in self.adapters:
                values[index] = adapt(values[index])
            tuples.append(values)
        if self.postgres:
            with connection.cursor() as cursor:
                sql = f"COPY {self.table} ({self.columns}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for values in tuples:
                        copy.write_row(values)
        else:
            marks = ", ".join("?" * len(self.fields))
            # Table and column names come from the models, never from input.
            sql = f"INSERT INTO {self.table} ({self.columns}) VALUES ({marks})"  # noqa: S608
            connection.ensure_connection()
            connection.connection.cursor().executemany(sql, tuples)


@contextmanager
def secondary_indexes_dropped(tables: list[str]):
    """Drop the tables' secondary indexes and build them again at the end: building an
    index once from all rows beats updating it row by row when the load is large (random
    keys such as names and ID numbers touch a new page with nearly every row). Indexes
    behind constraints stay; a partial unique index is checked again when rebuilt. Run
    inside the caller's transaction, so that a failure leaves the indexes as they were."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Check foreign keys row by row as they come, instead of queueing millions of
            # deferred checks in memory until the indexes are rebuilt.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [tables],
            )
        else:
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "  # noqa: S608
                f"AND sql IS NOT NULL AND tbl_name IN ({marks})",
                tables,
            )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)


def _existing_codes(codes: list[str]) -> set[str]:
    found = set()
    for start in range(0, len(codes), 5000):
        found.update(
            Case.objects.filter(tracking_code__in=codes[start : start + 5000]).values_list(
                "tracking_code", flat=True
            )
        )
    return found


def cases_generate(
    *,
    count: int,
    days: int,
    seed: int,
    province: Unit,
    now: datetime | None = None,
    batch_size: int = 20_000,
    progress: Callable[[int], None] | None = None,
    story: int | None = None,
) -> GenerateResult:
    """Add `count` synthetic cases declared over the last `days` days (today included).

    Each batch is one transaction: its cases, events and summary effects commit together
    with the summary watermark, after folding in any event written meanwhile by others,
    so the summaries stay exact whatever runs alongside.

    `story`: how many of the `count` cases are made one by one with their whole story
    (events, documents, summary effects; about a thousand a second); the rest are copies
    of those made by the database itself (`cases_clone`, a million in well under a
    minute). None: every case has its story.
    """
    started = clock.perf_counter()
    now = now or timezone.now()
    story = count if story is None else max(1, min(story, count))
    clones, count = count - story, story
    loader = Loader(Generator(rng=random.Random(seed), now=now, province=province), province)
    if connection.vendor == "sqlite":
        # A large page cache keeps the twenty-odd indexes of cases_case in memory.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -1000000")
    plan = (
        (day, load)
        for day, n, load in day_counts(count, days, timezone.localdate(now))
        for _ in range(n)
    )
    # A load as large as what is there already runs as one transaction with the indexes
    # rebuilt at the end; smaller ones commit batch by batch.
    bulk = count >= max(BULK_FROM, Case.objects.aggregate(m=Max("id"))["m"] or 0)
    tables = ["cases_case", "cases_caseevent", "cases_recoverydeclaration"]
    with (
        transaction.atomic() if bulk else nullcontext(),
        secondary_indexes_dropped(tables) if bulk else nullcontext(),
    ):
        while batch := list(islice(plan, batch_size)):
            loader.load(batch)
            if progress:
                progress(loader.result.cases)
    if clones:
        last = Case.objects.aggregate(m=Max("id"))["m"]
        cloned = cases_clone(count=clones, story_from=last - count + 1, story_to=last)
        loader.result.cases += cloned
        copies = Case.objects.filter(pk__gt=last).values("status").annotate(n=Count("pk"))
        for row in copies.order_by():
            status, n = row["status"], row["n"]
            loader.result.by_status[status] = loader.result.by_status.get(status, 0) + n
    loader.result.seconds = clock.perf_counter() - started
    return loader.result


# Copies of story cases, made by the database ---------------------------------------------

# A multiplier coprime with 2, 3 and 5 makes `id * M + OFFSET` modulo 30^8 a bijection: the
# copies' tracking codes never repeat each other (one that a story case holds already is
# skipped, ON CONFLICT DO NOTHING: a few in ten million).
CODE_MULTIPLIER = 2_654_435_761
CODE_OFFSET = 91_837_465_123
PHONE_MULTIPLIER = 7_368_787  # coprime with 10: seven digits that do not repeat


def _pad(expression: str, width: int) -> str:
    """SQL: a non-negative integer written with `width` digits, zeros in front."""
    if connection.vendor == "postgresql":
        return f"lpad(({expression})::text, {width}, '0')"
    return f"printf('%%0{width}d', {expression})"  # %% as the query takes parameters


def _code_sql(new_id: str) -> str:
    """SQL: the tracking code (TQ-7K3M-9QXH) of a copy, from its new id."""
    space = len(ALPHABET) ** 8
    n = f"(({new_id}) * {CODE_MULTIPLIER} + {CODE_OFFSET}) %% {space}"
    chars = [
        f"substr('{ALPHABET}', CAST((({n}) / {len(ALPHABET) ** i}) %% {len(ALPHABET)} + 1 "
        "AS INTEGER), 1)"
        for i in range(8)
    ]
    prefix = settings.TRACKING_CODE_PREFIX
    return f"'{prefix}-' || " + " || ".join(chars[:4]) + " || '-' || " + " || ".join(chars[4:])


def cases_clone(*, count: int, story_from: int, story_to: int) -> int:
    """Add `count` cases copied from the story cases with ids story_from..story_to, in
    rounds of one copy of each, by INSERT ... SELECT: the database does the work. Returns
    how many were added.

    A copy keeps its story case's commune, dates, status, test and health, and gets a new
    id, a new tracking code, phone number and ID number (unique: the ID is made from the
    new id, with a century digit, 9, that no real card of people born 1900-2099 has, so no
    copy meets an open case's number), and the name and sex of another story case (so
    names are as varied as the generator makes them, and a copy is no duplicate of its
    source). Copies have no events and no household. The summaries that hold current
    state count them (CommuneStatus, PendingDecision, IsolatingCase, CommuneIsolationEnd,
    prepared documents are copied too); the day-by-day flows (CommuneDay) count only the
    story cases, which have events.
    """
    span = story_to - story_from + 1
    first_new = Case.objects.aggregate(m=Max("id"))["m"] + 1
    fields = [f.column for f in Case._meta.concrete_fields]
    phone = _pad(f"(new_id * {PHONE_MULTIPLIER}) %% 10000000", 7)
    overrides = {
        "id": "new_id",
        "tracking_code": _code_sql("new_id"),
        "full_name": "n.full_name",
        "name_key": "n.name_key",
        "sex": "n.sex",
        "pregnant": "CASE WHEN n.sex = 'male' THEN FALSE ELSE c.pregnant END",
        "phone": f"substr(c.phone, 1, 3) || {phone}",
        "guardian_phone": (
            f"CASE WHEN c.guardian_phone = '' THEN '' ELSE substr(c.phone, 1, 3) || {phone} END"
        ),
        "id_number": (
            "CASE length(c.id_number) "
            f"WHEN 12 THEN substr(c.id_number, 1, 3) || '9' || {_pad('new_id %% 100000000', 8)} "
            f"WHEN 9 THEN '0' || {_pad('new_id %% 100000000', 8)} ELSE c.id_number END"
        ),
        "household_key": "NULL",
    }
    columns = ", ".join(connection.ops.quote_name(f) for f in fields)
    values = ", ".join(overrides.get(f, f"c.{connection.ops.quote_name(f)}") for f in fields)
    added = 0
    with transaction.atomic(), secondary_indexes_dropped(["cases_case"]):
        with connection.cursor() as cursor:
            done = 0
            while done < count:
                take = min(span, count - done)
                base = first_new + done - story_from
                # Names come from another story case, a different one in each round.
                # Table and column names come from the models; numbers from this code.
                cursor.execute(
                    f"INSERT INTO cases_case ({columns}) "  # noqa: S608
                    f"SELECT {values} FROM (SELECT c0.*, c0.id + %s AS new_id FROM cases_case c0 "
                    "WHERE c0.id BETWEEN %s AND %s) c "
                    "JOIN cases_case n ON n.id = %s + ((c.id * 7919 + %s * 104729) %% %s) "
                    "WHERE TRUE ON CONFLICT DO NOTHING",
                    [base, story_from, story_from + take - 1, story_from, done // span, span],
                )
                added += cursor.rowcount
                done += take
        last_new = first_new + count - 1
        _clone_summaries(first_new, last_new, story_from, span)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for sql in connection.ops.sequence_reset_sql(no_style(), [Case, Document]):
                cursor.execute(sql)
    return added


def _clone_summaries(first_new: int, last_new: int, story_from: int, span: int) -> None:
    """The current-state summaries and prepared documents of the copies with ids
    first_new..last_new, from those of their story cases."""
    source = f"%s + ((x.id - %s) %% {span})"
    copies = "x.id BETWEEN %s AND %s"
    params = [story_from, first_new, first_new, last_new]
    with connection.cursor() as cursor:
        for table, extra in (
            ("reports_isolatingcase", "isolation_end"),
            ("reports_pendingdecision", "since"),
        ):
            cursor.execute(
                f"INSERT INTO {table} (case_id, commune_id, district_id, province_id, {extra}) "  # noqa: S608
                f"SELECT x.id, s.commune_id, s.district_id, s.province_id, s.{extra} "
                f"FROM cases_case x JOIN {table} s ON s.case_id = {source} WHERE {copies}",
                params,
            )
        cursor.execute(
            "INSERT INTO reports_communestatus "
            "(commune_id, district_id, province_id, status, outcome, count) "
            "SELECT commune_id, MIN(district_id), MIN(province_id), status, outcome, COUNT(*) "
            "FROM cases_case WHERE id BETWEEN %s AND %s GROUP BY commune_id, status, outcome "
            "ON CONFLICT (commune_id, status, outcome) "
            "DO UPDATE SET count = reports_communestatus.count + excluded.count",
            [first_new, last_new],
        )
        cursor.execute(
            "INSERT INTO reports_communeisolationend "
            "(commune_id, district_id, province_id, isolation_end, count) "
            "SELECT commune_id, MIN(district_id), MIN(province_id), isolation_end, COUNT(*) "
            "FROM reports_isolatingcase WHERE case_id BETWEEN %s AND %s "
            "GROUP BY commune_id, isolation_end "
            "ON CONFLICT (commune_id, isolation_end) "
            "DO UPDATE SET count = reports_communeisolationend.count + excluded.count",
            [first_new, last_new],
        )
        fields = [f.column for f in Document._meta.concrete_fields]
        columns = ", ".join(connection.ops.quote_name(f) for f in fields)
        first_document = (Document.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        overrides = {
            # At most one live document of a kind per case: two ids per copy are enough.
            "id": "%s + (x.id - %s) * 2 + CASE WHEN s.kind = 'isolation_decision' "
            "THEN 0 ELSE 1 END",
            "case_id": "x.id",
        }
        values = ", ".join(overrides.get(f, f"s.{connection.ops.quote_name(f)}") for f in fields)
        cursor.execute(
            f"INSERT INTO documents_document ({columns}) SELECT {values} "  # noqa: S608
            f"FROM cases_case x JOIN documents_document s ON s.case_id = {source} "
            f"WHERE {copies} AND s.state = %s ON CONFLICT DO NOTHING",
            [first_document, first_new, *params, Document.State.PREPARED],
        )


class Loader:
    """Turns generated cases into rows, facts and summary effects, one batch at a time."""

    def __init__(self, gen: Generator, province: Unit):
        self.gen = gen
        self.province = province
        self.writers = {m: BulkInserter(m) for m in WRITTEN}
        self.wordings: dict[int, object] = {}
        self.counters: dict[tuple[int, str, int], int] = {}
        self.open_ids = set(
            Case.objects.filter(status__in=OPEN_STATUSES)
            .exclude(id_number="")
            .values_list("id_number", flat=True)
        )
        self.by_status: Counter = Counter()
        self.result = GenerateResult()

    def load(self, batch: list[tuple[date, float]]) -> None:
        with transaction.atomic():
            state = state_lock()
            while refresh_locked(state).more:
                pass
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "LOCK TABLE cases_case, cases_caseevent, cases_recoverydeclaration, "
                        "documents_document, documents_documentcounter "
                        "IN SHARE ROW EXCLUSIVE MODE"
                    )
            self.next_case = (Case.objects.aggregate(m=Max("id"))["m"] or 0) + 1
            self.next_event = (CaseEvent.objects.aggregate(m=Max("id"))["m"] or 0) + 1
            self.next_declaration = (
                RecoveryDeclaration.objects.aggregate(m=Max("id"))["m"] or 0
            ) + 1
            self.next_document = (Document.objects.aggregate(m=Max("id"))["m"] or 0) + 1
            first_event = self.next_event
            self.acc = Accumulator()
            self.buffers: dict = {model: [] for model in WRITTEN}
            self.series_used: set[tuple[int, str, int]] = set()
            self.counters = {}  # read again: documents may have been issued since
            for day, load in batch:
                self._case(day, load)
            self._fix_codes()
            for model in WRITTEN:
                self.writers[model].insert(self.buffers[model])
            self._counters_write()
            accumulator_write(self.acc)
            state.watermark = max(state.watermark, self.next_event - 1)
            state.fresh_as_of = state.refreshed_at = timezone.now()
            state.save()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), list(WRITTEN)):
                        cursor.execute(sql)
        self.result.events += self.next_event - first_event
        self.result.by_status = dict(self.by_status)

    def _case(self, day: date, load: float) -> None:
        case_id = self.next_case
        self.current = {"id": case_id, "submitted_at": None, "documents": {}}
        row = self.gen.make(case_id, day, load, self._emit)
        row["province_id"] = self.province.pk
        if row["status"] in OPEN_STATUSES and row["id_number"]:
            while row["id_number"] in self.open_ids:
                row["id_number"] = self.gen.cccd(row["date_of_birth"], row["sex"])
            self.open_ids.add(row["id_number"])
        recovery = row.pop("_recovery", None)
        if recovery:
            self.buffers[RecoveryDeclaration].append(
                _declaration(self.current["declaration_id"], row, recovery)
            )
        # A new case that ended its wait or its isolation leaves nothing to write.
        if self.acc.pending.get(case_id, 0) is None:
            del self.acc.pending[case_id]
        if self.acc.isolating.get(case_id, 0) is None:
            del self.acc.isolating[case_id]
        self.buffers[Case].append(row)
        self.by_status[row["status"]] += 1
        self.result.cases += 1
        self.next_case += 1

    def _emit(self, kind, at, from_status, to_status, before, after, data) -> None:
        current, gen = self.current, self.gen
        if current["submitted_at"] is None:
            current["submitted_at"] = at
        actor_id, label = None, CITIZEN_LABEL
        if kind in OFFICER_KINDS:
            actor_id, label = gen.officers.get(before, (None, SYNTHETIC_LABEL))
        elif kind == EventKind.DOCUMENT_ISSUED:
            actor_id, label = gen.leaders.get(before, (None, SYNTHETIC_LABEL))
        if kind == EventKind.RECOVERY_REQUESTED:
            current["declaration_id"] = data["recovery_declaration_id"] = self.next_declaration
            self.next_declaration += 1
        if kind == EventKind.RECOVERY_CONFIRMED:
            data["recovery_declaration_id"] = current.get("declaration_id")
        if kind == EventKind.DOCUMENT_ISSUED:
            data["document_id"] = self._document_issue(data["kind"], at, before, actor_id, label)
        # What the citizen reads (CaseEvent.message): the services write these two.
        message = ""
        if kind == EventKind.REJECTED:
            message = str(RejectReason(data["reason"]).label)
        elif kind == EventKind.CLOSED:
            message = str(Outcome(data["outcome"]).label)
        pk = self.next_event
        self.buffers[CaseEvent].append(
            {
                "id": pk,
                "case_id": current["id"],
                "at": at,
                "kind": str(kind),
                "actor_id": actor_id,
                "actor_label": label,
                "from_status": str(from_status),
                "to_status": str(to_status),
                "reason": "",
                "message": message,
                "public": kind != EventKind.DOCUMENT_ISSUED,
                "data": data,
            }
        )
        self.acc.add(
            Fact(
                pk=pk,
                case_id=current["id"],
                kind=kind,
                at=at,
                from_status=str(from_status),
                to_status=str(to_status),
                commune_before=before if from_status else None,
                commune_after=after,
                outcome=data.get("outcome", ""),
                submitted_at=current["submitted_at"],
                document_type=data.get("kind", "") if kind == EventKind.DOCUMENT_ISSUED else "",
                isolation_end=gen.current_row["isolation_end"],
            )
        )
        self.next_event += 1
        if kind in PREPARED_AFTER:
            self._document_prepare(PREPARED_AFTER[kind], at, after, actor_id)

    def _document_prepare(self, kind: str, at: datetime, commune: int, by: int | None) -> None:
        """The document the step calls for, prepared as the documents app prepares it."""
        row = {
            "id": self.next_document,
            "case_id": self.current["id"],
            "kind": kind,
            "state": Document.State.PREPARED,
            "commune_id": commune,
            "prepared_at": at,
            "prepared_by_id": by,
            "year": None,
            "number": None,
            "symbol": "",
            "issued_on": None,
            "issued_at": None,
            "issued_by_id": None,
            "signer_name": "",
            "signer_title": "",
            "data": {"synthetic": True},
            "file": "",
            "sha256": "",
            "verification_token": None,
            "signed_with_dev_certificate": False,
            "revoked_at": None,
            "revoked_by_id": None,
            "revocation_reason": "",
            "replaces_id": None,
        }
        self.buffers[Document].append(row)
        self.current["documents"][kind] = row
        self.next_document += 1

    def _document_issue(self, kind, at: datetime, commune: int, by, signer: str) -> int:
        """Issue the case's prepared document of `kind`: the next number of its series."""
        row = self.current["documents"][kind]
        issued_on = timezone.localtime(at).date()
        series = (row["commune_id"], kind, issued_on.year)
        number = self._number_take(series)
        wording = self._wording(row["commune_id"])
        row.update(
            state=Document.State.ISSUED,
            year=issued_on.year,
            number=number,
            symbol=wording.decision_symbol
            if kind == "isolation_decision"
            else wording.confirmation_symbol,
            issued_on=issued_on,
            issued_at=at,
            issued_by_id=by,
            signer_name=signer,
            signer_title=SIGNER_LINES[wording.signer_title],
            data={"synthetic": True, "person": {"full_name": self.gen.current_row["full_name"]}},
            verification_token=secrets.token_urlsafe(16),
            # Nothing was signed: shown as not legally valid, as development signatures are.
            signed_with_dev_certificate=True,
        )
        return row["id"]

    def _wording(self, commune: int):
        if commune not in self.wordings:
            self.wordings[commune] = wording_for(Unit.objects.get(pk=commune))
        return self.wordings[commune]

    def _number_take(self, series: tuple[int, str, int]) -> int:
        if series not in self.counters:
            commune, kind, year = series
            self.counters[series] = (
                DocumentCounter.objects.filter(commune_id=commune, kind=kind, year=year)
                .values_list("last_number", flat=True)
                .first()
                or 0
            )
        self.counters[series] += 1
        self.series_used.add(series)
        return self.counters[series]

    def _counters_write(self) -> None:
        """Each series used continues after the synthetic numbers (numbering without gaps)."""
        for commune, kind, year in sorted(self.series_used):
            DocumentCounter.objects.update_or_create(
                commune_id=commune,
                kind=kind,
                year=year,
                defaults={"last_number": self.counters[(commune, kind, year)]},
            )

    def _fix_codes(self) -> None:
        """Codes are unique among generated cases; re-derive any that a real case holds."""
        cases = self.buffers[Case]
        taken = _existing_codes([row["tracking_code"] for row in cases])
        for row in cases:
            salt = 0
            while row["tracking_code"] in taken:
                salt += 1
                row["tracking_code"] = self.gen.codes.code(row["id"], salt)
                taken = _existing_codes([row["tracking_code"]])


def _declaration(declaration_id: int, row: dict, recovery: dict) -> dict:
    decided = recovery.get("decided_at")
    return {
        "id": declaration_id,
        "case_id": row["id"],
        "negative_test_date": recovery["negative_test_date"],
        "test_type": "rapid_self",
        "tested_by": str(TestedBy.SELF_SUPERVISED),
        "result_photo_id": None,
        "remaining_symptoms": [],
        "state": RecoveryDeclaration.State.CONFIRMED
        if decided
        else RecoveryDeclaration.State.PENDING,
        "submitted_at": recovery["submitted_at"],
        "decided_at": decided,
        "refusal_reason": "",
    }
