"""The invariant checks of the fault suite (bench.faults) against a database where the
faults they look for are planted: a checker that sees nothing would pass any run."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from backoffice.services import bulk_decision_create, bulk_job_confirm
from bench import fault_checks
from cases.choices import EventKind
from cases.models import Case, CaseEvent
from cases.testing import make_case
from jobs.models import BulkJob
from notifications.backends import FileSMSBackend
from notifications.models import Channel, Notification
from notifications.services import notification_send
from uploads.services import upload_create
from uploads.tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_file_no_row_names_is_an_orphan_until_the_purge(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        kept = upload_create(file=f.uploaded(f.phone_jpeg(seed=1)), kind="test_photo")
    assert fault_checks.check_orphan_files() == {"files": 1, "orphans": 0, "problems": []}

    stray = default_storage.save("uploads/stray.jpg", ContentFile(b"left by hand"))
    found = fault_checks.check_orphan_files()
    assert found["orphans"] == 1 and found["problems"] == [stray]

    default_storage.delete(stray)
    # A request that died before its row committed: its photo and its journal marker.
    with transaction.atomic():
        lost = upload_create(file=f.uploaded(f.phone_jpeg(seed=2)), kind="test_photo")
        transaction.set_rollback(True)
    found = fault_checks.check_orphan_files()
    assert found["orphans"] == 2 and lost.file.name in found["problems"]

    assert fault_checks.orphans_purge() == 1
    assert fault_checks.check_orphan_files() == {"files": 1, "orphans": 0, "problems": []}
    assert default_storage.exists(kept.file.name)


def test_a_message_delivered_twice_or_never_is_reported(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    log = tmp_path / "sms.log"
    settings.SMS_BACKEND = "notifications.backends.FileSMSBackend"
    settings.SMS_FILE_PATH = str(log)
    with django_capture_on_commit_callbacks(execute=True):
        once = notification_send(
            channel=Channel.SMS, recipient="0912345678", kind="declaration_received", body="A"
        )
        twice = notification_send(
            channel=Channel.SMS, recipient="0912345679", kind="declaration_received", body="B"
        )
    assert fault_checks.check_notifications(log) == {
        "queued": 2,
        "delivered_once": 2,
        "not_sms_unchecked": 0,
        "problems": [],
    }

    # A worker killed after the gateway took the message, before the row said so, and the
    # message sent again by the next attempt.
    FileSMSBackend(path=log).send(phone=twice.recipient, text=twice.body)
    Notification.objects.create(
        channel=Channel.SMS, recipient="0912345670", kind="declaration_received", body="C"
    )
    FileSMSBackend(path=log).send(phone="0999999999", text="no row")
    found = fault_checks.check_notifications(log)
    assert found["delivered_once"] == 1 and found["sent_twice"] == 1
    assert found["pending"] == 1 and found["logged_without_row"] == 1
    assert f"notification {twice.pk} (declaration_received) delivered 2 times" in found["problems"]
    assert not [p for p in found["problems"] if p.startswith(f"notification {once.pk} ")]


def test_an_acknowledged_declaration_must_be_one_case_with_its_declared_event(commune_a):
    case = make_case(commune_a)
    flows = [{"code": case.tracking_code, "id_number": case.id_number}]
    assert fault_checks.check_declarations(flows)["problems"] == []

    missing = {"code": "F0-XXXX-XXXX", "id_number": "008090999999"}
    found = fault_checks.check_declarations([*flows, missing])
    assert found["in_database_once"] == 1
    assert "F0-XXXX-XXXX: acknowledged but not in the database" in found["problems"]

    CaseEvent.objects.filter(case=case, kind=EventKind.DECLARED).delete()
    found = fault_checks.check_declarations(flows)
    assert found["problems"] == [f"{case.tracking_code}: 0 'declared' events"]


def test_a_bulk_job_must_end_done_with_counts_that_add_up_and_each_case_accepted_once(
    officer_a, commune_a, django_capture_on_commit_callbacks
):
    cases = [make_case(commune_a) for _ in range(3)]
    job = bulk_decision_create(
        by=officer_a, action="accept", cases=Case.objects.filter(pk__in=[c.pk for c in cases])
    )
    with django_capture_on_commit_callbacks(execute=True):
        bulk_job_confirm(job=job, by=officer_a)
    found = fault_checks.check_bulk_jobs()
    assert (found["jobs"], found["done"], found["problems"]) == (1, 3, [])

    # An item done twice (a runner that did not see the cursor move) and counted once.
    CaseEvent.objects.create(case=cases[0], kind=EventKind.ACCEPTED, actor_label="x")
    BulkJob.objects.filter(pk=job.pk).update(done=2, state=BulkJob.State.RUNNING)
    problems = fault_checks.check_bulk_jobs()["problems"]
    assert f"job {job.pk} is running" in problems
    assert f"job {job.pk}: done 2 + failed 0 != total 3 (cursor 3)" in problems
    assert f"job {job.pk}: 1 cases accepted more than once" in problems
