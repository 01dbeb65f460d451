"""The Django side of the fault suite (bench.faults): what it prepares through the services,
and the invariants it checks once every process it started has stopped.

Each check returns a dict of counts with a list of problems ("problems": empty when the
invariant holds). The orchestrator runs them in a subprocess, after django.setup():

    python -c "import django; django.setup(); from bench import fault_checks; fault_checks.main()" \
        COMMAND IN.json      # prints the JSON answer on standard output
"""

import json
import sys
import uuid
from collections import Counter
from pathlib import Path

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Role, User
from backoffice.services import bulk_decision_create, bulk_job_confirm
from cases.choices import EventKind
from cases.models import Case
from cases.services.declaration import case_declare
from cases.testing import cccd_for, declaration_values
from core.files import listdir
from jobs.models import BulkJob
from notifications.backends import FileSMSBackend
from notifications.models import Channel, Notification
from units.models import Unit
from uploads.services import uploads_purge_orphans

# The commune every simulated citizen declares in (Phường Phan Thiết, Tuyên Quang: the
# commune of the test personas).
COMMUNE_CODE = "02209"
OFFICER_USERNAME = "faults.officer"


def commune() -> Unit:
    return Unit.objects.get(unit_set__code="gso-2021", code=COMMUNE_CODE)


# --- What the suite prepares -------------------------------------------------------------


def officer_ensure() -> User:
    """The commune officer who runs the bulk accept (an account without a usable password:
    the suite calls the services directly, nobody signs in)."""
    officer = User.objects.filter(username=OFFICER_USERNAME).first()
    if officer is None:
        officer = User(
            username=OFFICER_USERNAME,
            role=Role.COMMUNE_OFFICER,
            unit=commune(),
            full_name="Cán bộ thử lỗi",
        )
        officer.set_unusable_password()
        officer.save()
    return officer


def cases_create(*, count: int, serial_from: int) -> list[int]:
    """Declare `count` cases through case_declare, with ID numbers and phones from serial
    `serial_from` on (apart from the citizens' ones); return their ids."""
    place = commune()
    born = timezone.localdate().replace(year=1970, month=1, day=1)
    ids = []
    for n in range(count):
        serial = serial_from + n
        values = declaration_values(
            id_number=cccd_for(born, "female", serial),
            date_of_birth=born,
            phone=f"07{serial:08d}",
        )
        result = case_declare(commune=place, values=values, submission_key=uuid.uuid4())
        ids.append(result.case.pk)
    return ids


def bulk_accept_start(*, case_ids: list[int]) -> dict:
    """A bulk accept of the cases `case_ids` through backoffice's services, confirmed by
    the commune officer (queued for the worker). Returns {"job": id, "total": n}."""
    officer = officer_ensure()
    cases = Case.objects.filter(pk__in=case_ids)
    job = bulk_decision_create(by=officer, action="accept", cases=cases)
    job = bulk_job_confirm(job=job, by=officer)
    return {"job": job.pk, "total": job.total}


# --- Invariants --------------------------------------------------------------------------


def _stored_files(storage: Storage, folder: str = "") -> list[str]:
    folders, files = listdir(storage, folder)
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        names += _stored_files(storage, f"{folder}/{sub}" if folder else sub)
    return names


def _named_files() -> set[str]:
    """Every file name a row of any model holds in a FileField."""
    named: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                named.update(
                    model._default_manager.exclude(**{field.name: ""})
                    .exclude(**{f"{field.name}__isnull": True})
                    .values_list(field.name, flat=True)
                )
    return named


def orphans_purge() -> int:
    """The maintenance job `uploads_purge_orphans`, with no margin for open transactions:
    run only when every web and task worker has stopped (none can be open)."""
    return uploads_purge_orphans(older_than=timezone.now())


def check_orphan_files(storage: Storage | None = None) -> dict:
    """Files in the private storage (uploads, documents, journal markers) that no row
    names. Returns {"files": n, "orphans": n, "problems": [names]}."""
    storage = storage or default_storage
    files = _stored_files(storage)
    named = _named_files()
    orphans = sorted(name for name in files if name not in named)
    return {"files": len(files), "orphans": len(orphans), "problems": orphans[:20]}


def check_declarations(acknowledged: list[dict]) -> dict:
    """Every declaration a citizen saw acknowledged, [{"code": tracking code, "id_number":
    ...}], is one case with that code, the only case of its ID number, with exactly one
    `declared` event. Returns counts and the problems found."""
    codes = [flow["code"] for flow in acknowledged]
    id_numbers = [flow["id_number"] for flow in acknowledged]
    found = dict(
        Case.objects.filter(tracking_code__in=codes)
        .annotate(declared=Count("events", filter=Q(events__kind=EventKind.DECLARED)))
        .values_list("tracking_code", "declared")
    )
    per_id = Counter(
        Case.objects.filter(id_number__in=id_numbers).values_list("id_number", flat=True)
    )
    problems = []
    for flow in acknowledged:
        code, id_number = flow["code"], flow["id_number"]
        if code not in found:
            problems.append(f"{code}: acknowledged but not in the database")
        elif found[code] != 1:
            problems.append(f"{code}: {found[code]} 'declared' events")
        if per_id[id_number] != 1:
            problems.append(f"{code}: {per_id[id_number]} cases for ID number {id_number}")
    if len(set(codes)) != len(codes):
        problems.append("one tracking code acknowledged to two flows")
    return {
        "acknowledged": len(acknowledged),
        "in_database_once": sum(
            1 for f in acknowledged if found.get(f["code"]) == 1 and per_id[f["id_number"]] == 1
        ),
        "cases_in_database": Case.objects.count(),
        "problems": problems[:20],
    }


def check_notifications(sms_log: str | Path) -> dict:
    """Every queued SMS (an outbox row) was sent, and written exactly once to the log of
    FileSMSBackend at `sms_log`; the log holds no message without its row. Returns counts
    by outcome and the problems found."""
    lines = Counter(
        (line["to"], line["text"]) for line in FileSMSBackend(path=Path(sms_log)).read()
    )
    rows = list(Notification.objects.filter(channel=Channel.SMS).order_by("pk"))
    outcome: Counter = Counter()
    problems = []
    for row in rows:
        times = lines.pop((row.recipient, row.body), 0)
        if row.status != Notification.Status.SENT:
            outcome[row.status] += 1
            problems.append(f"notification {row.pk} ({row.kind}) is {row.status}")
        elif times != 1:
            outcome["sent_twice" if times > 1 else "sent_unlogged"] += 1
            problems.append(f"notification {row.pk} ({row.kind}) delivered {times} times")
        else:
            outcome["delivered_once"] += 1
    for (to, _text), times in lines.items():
        outcome["logged_without_row"] += times
        problems.append(f"message to {to} delivered without an outbox row")
    others = Notification.objects.exclude(channel=Channel.SMS).count()
    return {
        "queued": len(rows),
        **outcome,
        "not_sms_unchecked": others,
        "problems": problems[:20],
    }


def check_bulk_jobs() -> dict:
    """Every bulk job finished (done), with done + failed == total and its cursor at the
    end, and every case of an accept job accepted exactly once. Returns counts and problems."""
    problems = []
    jobs = list(BulkJob.objects.order_by("pk"))
    items = 0
    for job in jobs:
        items += job.total
        if job.state != BulkJob.State.DONE:
            problems.append(f"job {job.pk} is {job.state}")
        if job.done + job.failed != job.total or job.cursor != job.total:
            problems.append(
                f"job {job.pk}: done {job.done} + failed {job.failed} != total {job.total} "
                f"(cursor {job.cursor})"
            )
        case_ids = [item["case"] for item in job.items]
        accepted = Counter(
            Case.objects.filter(pk__in=case_ids, events__kind=EventKind.ACCEPTED).values_list(
                "pk", flat=True
            )
        )
        twice = [pk for pk, times in accepted.items() if times > 1]
        if twice:
            problems.append(f"job {job.pk}: {len(twice)} cases accepted more than once")
        if len(accepted) != job.done:
            problems.append(f"job {job.pk}: {len(accepted)} cases accepted, {job.done} done")
    return {
        "jobs": len(jobs),
        "items": items,
        "done": sum(job.done for job in jobs),
        "failed": sum(job.failed for job in jobs),
        "resumed": sum(job.resumed_count for job in jobs),
        "problems": problems[:20],
    }


COMMANDS = {
    "officer": lambda _args: officer_ensure().pk,
    "units": lambda _args: {"commune": commune().pk, "district": commune().district_id},
    "cases_create": lambda args: cases_create(**args),
    "bulk_accept_start": lambda args: bulk_accept_start(**args),
    "orphans_purge": lambda _args: orphans_purge(),
    "check_orphan_files": lambda _args: check_orphan_files(),
    "check_declarations": lambda args: check_declarations(args["acknowledged"]),
    "check_notifications": lambda args: check_notifications(args["sms_log"]),
    "check_bulk_jobs": lambda _args: check_bulk_jobs(),
}


def main(argv: list[str] | None = None) -> None:
    """COMMAND [IN.json]: run one command with the JSON arguments in IN.json; print JSON."""
    command, *rest = argv if argv is not None else sys.argv[1:]
    args = json.loads(Path(rest[0]).read_text()) if rest else {}
    json.dump(COMMANDS[command](args), sys.stdout)
