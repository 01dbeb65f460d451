"""The public form's submissions: kept at once, turned into cases by the worker.

Pressing "Gửi" writes one `Intake` row (`intake_submit`), and at most two task rows per
web process per second; the worker then writes the cases in batches (`intakes_drain`),
each submission as `household_declare` always did: each case, its first event, its
receipt, its photos' claims and the SMS, in one transaction (`intake_process`). The
citizen's answer page shows the tracking codes as soon as that is done, usually within a
second or two, and says that it is being recorded until then.

Why (issue 15): sending went at 0.19 × the rate of a bare one-row insert, most of it
writing what can wait a second. Now the request writes one row and the session, in one
commit; nothing is lost if the worker is down, since the row is durable
and a maintenance run (also at every worker start) queues the pending ones again
(`intakes_resume`). Exactly once: the row's key is the submission key (a form sent twice
is one row), and `household_declare` answers a key it has seen from its receipts.
"""

import logging
import threading
import time
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db.backend import DatabaseBackend

from cases.models import Intake
from cases.services.declaration import (
    DeclareResult,
    MemberDeclaration,
    household_declare,
    household_size_check,
)
from units.selectors import commune_of_province, deployed_province
from uploads.models import Upload

logger = logging.getLogger(__name__)

# After this many failed attempts an intake is marked failed: the citizen's page says so
# and gives the health station's number; the IT department sees it in the admin.
MAX_ATTEMPTS = 5
# A pending intake older than this is queued again by the maintenance run (its task was
# lost with a dead worker, or failed).
RESUME_AFTER = timedelta(minutes=1)
# A failed attempt is tried again after this, times the attempts so far.
RETRY_DELAY = timedelta(seconds=20)
# Recorded intakes are kept this long for the answer page, then deleted (their cases and
# receipts stay; the intake then holds no personal data anyway).
KEEP_DONE = timedelta(days=2)

# The values kept as ISO text or decimal text in JSON, typed again for the service.
DATE_FIELDS = ("date_of_birth", "positive_test_date", "last_dose_date", "symptom_onset_date")
DECIMAL_FIELDS = ("temperature",)


def values_to_json(values: dict[str, Any]) -> dict[str, Any]:
    """A declaration's checked values (dates, decimals) as JSON-safe values."""
    return {
        k: v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, Decimal) else v
        for k, v in values.items()
    }


def values_from_json(values: dict[str, Any]) -> dict[str, Any]:
    """The inverse of `values_to_json`: dates and decimals typed again."""
    typed = dict(values)
    for name in DATE_FIELDS:
        if typed.get(name):
            typed[name] = date.fromisoformat(typed[name])
    for name in DECIMAL_FIELDS:
        if typed.get(name) is not None:
            typed[name] = Decimal(typed[name])
    return typed


def intake_submit(
    *, members: list[dict[str, Any]], submission_key: uuid.UUID, consent_at: datetime
) -> None:
    """Keep a submission of 1..HOUSEHOLD_MAX_MEMBERS members and queue its recording.

    `members`: [{"commune_id": int, "values": JSON-safe values (values_to_json), "photos":
    {"test_photo": {"id": upload id, ...} | None, "id_photo": ... | None}}], as checked by
    the form. The same `submission_key` twice writes nothing more (INSERT ... ON CONFLICT
    DO NOTHING: no query first, no savepoint). Run it in the caller's transaction: the row
    and its task commit together (with a task queue in another database, the task is queued
    once the caller commits). Raises ValidationError for no member or too many.
    """
    household_size_check(len(members))
    kept = [
        {
            "commune_id": member["commune_id"],
            "values": member["values"],
            "photos": {
                name: (photo["id"] if isinstance(photo, dict) else photo)
                for name, photo in (member.get("photos") or {}).items()
                if photo
            },
        }
        for member in members
    ]
    Intake.objects.bulk_create(
        [Intake(key=submission_key, members=kept, consent_at=consent_at)],
        ignore_conflicts=True,
    )
    _drain_soon()


# Submissions are recorded in batches (intakes_drain): each web process queues at most one
# drain to run at once and one to run at the end of each DRAIN_WINDOW, which then finds
# every submission the process kept in between. Under load a submission then writes no
# task row; alone, it is recorded at once. DRAIN_MARGIN covers the time a submission
# takes to commit after it looked, so that a drain never starts before it is visible.
DRAIN_WINDOW = 1.0
DRAIN_MARGIN = 0.3
# A drain stops after this many submissions and queues the next one, so that the worker's
# other tasks (the SMS of the cases just written) are not kept waiting behind a backlog.
DRAIN_BATCH = 200
# Submissions recorded per commit by a drain on PostgreSQL.
DRAIN_PER_COMMIT = 20
_window = {"end": 0.0, "deferred": False}
_window_lock = threading.Lock()


def _drain_soon() -> None:
    if not intakes_drain.get_backend().supports_defer:
        _queue(intakes_drain)
        return
    now = time.monotonic()
    with _window_lock:
        if now >= _window["end"] - DRAIN_MARGIN:
            _window.update(end=now + DRAIN_WINDOW, deferred=False)
            run_after = None
        elif not _window["deferred"]:
            _window["deferred"] = True
            run_after = timezone.now() + timedelta(seconds=_window["end"] - now)
        else:
            return  # the drain queued for the end of this window will find it
    _queue(intakes_drain.using(run_after=run_after) if run_after else intakes_drain)


def _queue(task_, *args) -> None:
    """Queue `task_` in the caller's transaction when the task queue lives in the same
    database (the task row commits with the intake; in tests, the immediate backend runs
    it now), else once the caller commits."""
    if isinstance(task_.get_backend(), DatabaseBackend | ImmediateBackend):
        task_.enqueue(*args)
    else:
        transaction.on_commit(lambda: task_.enqueue(*args), robust=True)


@task()
def intakes_drain() -> int:
    """The worker's task: record the pending submissions, oldest first (`intake_process`).
    Returns how many were recorded."""
    recorded = 0
    keys = list(
        Intake.objects.filter(state=Intake.State.PENDING, attempts=0)
        .order_by("created_at")
        .values_list("pk", flat=True)[:DRAIN_BATCH]
    )
    # On PostgreSQL, several submissions per commit: a commit waits for the disk (fsync),
    # which is most of the cost of recording one. Each submission still succeeds or fails
    # alone (intake_process runs it in a savepoint). SQLite has one writer at a time: there
    # a long transaction would keep the citizens' own submissions waiting, so one each.
    per_commit = DRAIN_PER_COMMIT if connection.vendor == "postgresql" else 1
    for start in range(0, len(keys), per_commit):
        with transaction.atomic():
            for key in keys[start : start + per_commit]:
                if intake_process(key=key) is not None:
                    recorded += 1
    if len(keys) == DRAIN_BATCH:
        intakes_drain.enqueue()
    return recorded


def _enqueue(key: uuid.UUID, *, delay: timedelta | None = None) -> None:
    record = intake_record
    if delay:
        if not record.get_backend().supports_defer:
            return  # no deferred tasks here: the maintenance run (intakes_resume) tries again
        record = record.using(run_after=timezone.now() + delay)
    _queue(record, str(key))


@task()
def intake_record(key: str) -> None:
    """The worker's task: record one intake (`intake_process`)."""
    intake_process(key=uuid.UUID(key))


def intake_process(*, key: uuid.UUID) -> list[DeclareResult] | None:
    """Write the cases of a pending intake (household_declare), then empty its `members`.

    Returns the results, or None when the intake is not pending (already recorded by a
    twin task, failed, or unknown). A photo that can no longer be claimed (the purge took
    it) is left out rather than the declaration lost; the case then has no photo and the
    commune asks for it. Any other error is logged, counted in `attempts` and left for
    `intakes_resume`; after MAX_ATTEMPTS the intake is marked failed.
    """
    with transaction.atomic():
        intake = (
            Intake.objects.select_for_update().filter(pk=key, state=Intake.State.PENDING).first()
        )
        if intake is None:
            return None
        try:
            with transaction.atomic():
                results = household_declare(
                    members=_members(intake),
                    submission_key=intake.key,
                    consent_at=intake.consent_at,
                )
        except Exception as exc:  # noqa: BLE001 - kept for the next attempt, never lost
            logger.exception("intake %s could not be recorded", key)
            intake.attempts += 1
            intake.last_error = f"{type(exc).__name__}: {exc}"[:300]
            if intake.attempts >= MAX_ATTEMPTS:
                intake.state = Intake.State.FAILED
            intake.save(update_fields=["attempts", "last_error", "state"])
            if intake.state == Intake.State.PENDING:
                _enqueue(intake.key, delay=RETRY_DELAY * intake.attempts)
            return None
        intake.state = Intake.State.DONE
        intake.results = [{"case_id": r.case.pk, "kind": r.kind} for r in results]
        intake.members = []
        intake.completed_at = timezone.now()
        intake.save(update_fields=["state", "results", "members", "completed_at"])
        return results


def _members(intake: Intake) -> list[MemberDeclaration]:
    province = deployed_province()
    wanted = [pk for m in intake.members for pk in (m.get("photos") or {}).values() if pk]
    claimable = set(
        Upload.objects.filter(pk__in=wanted, attached_at__isnull=True).values_list("pk", flat=True)
    )
    members = []
    for member in intake.members:
        commune = commune_of_province(province, member["commune_id"])
        if commune is None:
            raise ValueError(f"commune {member['commune_id']} is not in the deployed province")
        photos = {}
        for name, pk in (member.get("photos") or {}).items():
            if pk in claimable:
                photos[name] = Upload(pk=pk)
            elif pk:
                logger.warning("intake %s: photo %s no longer staged, left out", intake.key, pk)
        members.append(
            MemberDeclaration(commune=commune, values=values_from_json(member["values"]), **photos)
        )
    return members


def intake_answer(key: str | uuid.UUID) -> Intake | None:
    """The intake of a submission key, for the citizen's answer page (None if unknown)."""
    try:
        return Intake.objects.filter(pk=uuid.UUID(str(key))).first()
    except ValueError:
        return None


def intakes_resume() -> int:
    """Maintenance: queue again the intakes pending for over RESUME_AFTER (their worker
    died, or an attempt failed), and delete the recorded ones older than KEEP_DONE.
    Returns the number queued again."""
    now = timezone.now()
    stale = list(
        Intake.objects.filter(state=Intake.State.PENDING, created_at__lt=now - RESUME_AFTER)
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    for key in stale:
        with transaction.atomic():
            _enqueue(key)
    Intake.objects.filter(state=Intake.State.DONE, completed_at__lt=now - KEEP_DONE).delete()
    return len(stale)
