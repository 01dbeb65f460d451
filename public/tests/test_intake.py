"""Sending a declaration keeps it at once; the worker writes the cases (cases.intake).

These tests use the real task queue (django_tasks_db), as a site does: the request leaves a
task, and the test runs it as the worker would."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cases import intake
from cases.intake import MAX_ATTEMPTS, intake_process, intakes_drain, intakes_resume
from cases.models import Case, Intake
from core import maintenance
from notifications.models import Notification
from public.tests.flow import consent, declare, fill
from uploads.models import Upload


@pytest.fixture
def queued(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # A drain queued by an earlier test went with its database: start a new window.
    intake._window.update(end=0.0, deferred=False)


def run_worker() -> None:
    """What `manage.py db_worker` does with the queued submissions, in this process."""
    for task in DBTaskResult.objects.filter(task_path__startswith="cases.intake."):
        if task.task_path.endswith("intake_record"):
            intake_process(key=uuid.UUID(task.args_kwargs["args"][0]))
        else:
            intakes_drain.call()


@pytest.mark.django_db
def test_sending_keeps_the_declaration_and_the_worker_writes_the_case(client, units, queued):
    response = declare(client)
    assert response["Location"] == reverse("public:declare_done")
    # The request wrote the intake and its task, not the case.
    assert not Case.objects.exists()
    intake = Intake.objects.get()
    assert intake.state == Intake.State.PENDING
    assert DBTaskResult.objects.filter(task_path__endswith="intakes_drain").count() == 1
    waiting = client.get(reverse("public:declare_done"))
    page = waiting.content.decode()
    assert "Đã nhận khai báo, đang ghi vào hồ sơ" in page
    assert 'http-equiv="refresh"' in page
    assert "0912345678" in page  # where the code will also come by SMS
    assert "Trạm Y tế" in page

    run_worker()

    case = Case.objects.get()
    done = client.get(reverse("public:declare_done")).content.decode()
    assert case.tracking_code in done and 'http-equiv="refresh"' not in done
    sms = Notification.objects.get(channel="sms")
    assert case.tracking_code in sms.body
    intake.refresh_from_db()
    assert intake.state == Intake.State.DONE and intake.members == []  # no personal data kept
    assert intake.results == [{"case_id": case.pk, "kind": "created"}]
    # The photo staged with the form is the case's, claimed by the worker.
    assert case.test_photo is not None and case.test_photo.attached_at is not None
    # This browser declared it: its status opens without typing the code again.
    assert case.pk in client.session["citizen_cases"]


@pytest.mark.django_db
def test_a_form_sent_twice_and_a_task_run_twice_give_one_case_and_one_sms(client, units, queued):
    consent(client)
    fill(client)
    key = client.session["declaration"]["key"]
    client.post(reverse("public:declare_check"), {"key": key})
    client.post(reverse("public:declare_check"), {"key": key})
    assert Intake.objects.count() == 1
    run_worker()
    run_worker()
    intake_process(key=uuid.UUID(key))
    assert Case.objects.count() == 1
    assert Notification.objects.filter(channel="sms").count() == 1


@pytest.mark.django_db
def test_a_photo_purged_before_the_worker_leaves_a_case_without_it(client, units, queued):
    declare(client)
    Upload.objects.all().delete()
    run_worker()
    case = Case.objects.get()
    assert case.test_photo is None


@pytest.mark.django_db
def test_an_intake_that_keeps_failing_tells_the_citizen_and_gives_the_station(
    client, units, queued, monkeypatch
):
    declare(client)
    intake = Intake.objects.get()

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("cases.intake.household_declare", broken)
    for attempt in range(1, MAX_ATTEMPTS):
        intake_process(key=intake.pk)
        intake.refresh_from_db()
        assert (intake.attempts, intake.state) == (attempt, Intake.State.PENDING)
        assert "Đang ghi" in client.get(reverse("public:declare_done")).content.decode()
    intake_process(key=intake.pk)
    intake.refresh_from_db()
    assert intake.state == Intake.State.FAILED and "disk full" in intake.last_error
    page = client.get(reverse("public:declare_done")).content.decode()
    assert "Chưa ghi nhận được khai báo" in page
    assert 'http-equiv="refresh"' not in page
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_pending_intake_whose_worker_died_is_queued_again(client, units, queued):
    declare(client)
    DBTaskResult.objects.all().delete()  # the worker died with its task
    assert intakes_resume() == 0  # too recent: its worker may still be at it
    Intake.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert intakes_resume() == 1
    run_worker()
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_the_worker_records_pending_intakes_when_it_starts(client, units, queued):
    declare(client)
    DBTaskResult.objects.all().delete()
    Intake.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    # What `db_worker` runs first when it starts (jobs/management/commands/db_worker.py).
    outcome = maintenance.run_all(worker_start=True)
    assert outcome["intakes_resume"] == 1
    run_worker()
    assert Case.objects.count() == 1
    assert Intake.objects.get().state == Intake.State.DONE


@pytest.mark.django_db
def test_recorded_intakes_are_deleted_after_two_days(client, units):
    declare(client)
    assert Intake.objects.get().state == Intake.State.DONE
    Intake.objects.update(completed_at=timezone.now() - timedelta(days=3))
    intakes_resume()
    assert not Intake.objects.exists()
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_another_browser_cannot_see_the_answer_of_a_submission(client, units, queued):
    declare(client)
    other = Client()
    assert other.get(reverse("public:declare_done"))["Location"] == reverse("public:declare_start")


@pytest.mark.django_db
def test_the_same_submission_kept_twice_at_once_is_one_intake(client, units, queued):
    from cases.intake import intake_submit

    declare(client)
    intake = Intake.objects.get()
    # A twin request that read the session before the first one committed.
    intake_submit(members=intake.members, submission_key=intake.pk, consent_at=intake.consent_at)
    assert Intake.objects.count() == 1
    run_worker()
    assert Case.objects.count() == 1
    assert Notification.objects.filter(channel="sms").count() == 1


@pytest.mark.django_db
def test_submissions_within_a_second_share_the_drain_queued_for_the_window(
    units, queued, monkeypatch
):
    """Under load a submission writes no task row: the drain queued for the end of the
    window finds every submission kept before it."""
    monkeypatch.setattr(intake, "DRAIN_WINDOW", 600.0)  # however slow this machine is
    for n in range(4):
        client = Client()
        declare(client, id_number=f"00819012345{n}", phone=f"091234567{n}")
    drains = DBTaskResult.objects.filter(task_path__endswith="intakes_drain")
    # One to run at once, one at the end of the window.
    assert drains.count() == 2
    assert not Case.objects.exists()
    run_worker()
    assert Case.objects.count() == 4
    assert Intake.objects.filter(state=Intake.State.DONE).count() == 4


@pytest.mark.django_db
def test_a_failing_submission_in_a_drain_does_not_hold_back_the_others(units, queued, monkeypatch):
    monkeypatch.setattr(intake, "DRAIN_WINDOW", 600.0)
    for n in range(3):
        declare(Client(), id_number=f"00819012346{n}", phone=f"091234568{n}")
    bad = Intake.objects.order_by("created_at")[1].pk
    real = intake.household_declare

    def flaky(**kwargs):
        if kwargs["submission_key"] == bad:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(intake, "household_declare", flaky)
    assert intakes_drain.call() == 2
    assert Case.objects.count() == 2
    failed = Intake.objects.get(pk=bad)
    assert (failed.state, failed.attempts) == (Intake.State.PENDING, 1)
