"""Work that outlives a worker: exclusive claims, leases, and taking up a dead worker's job."""

import os
import subprocess
import sys
import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from jobs import recovery, runner
from jobs.models import BulkJob


class WorkerKilled(BaseException):
    """Stands for SIGKILL: not an Exception, so that nothing in the runner catches it; the
    transaction of the item in hand is rolled back, as the database does for a dead client."""


calls: list[int] = []
second_runs: list[BulkJob | None] = []
kill_at: set[int] = set()


def _count(job, item):
    """Item n succeeds, except multiples of 50, which fail; every call is recorded."""
    calls.append(item)
    if item in kill_at:
        if item != job.params.get("kills_every_time"):
            kill_at.remove(item)  # the next worker is not killed
        raise WorkerKilled
    if item == job.params.get("second_runner_at"):
        # A retry or a second worker starts the same job while this one runs it.
        second_runs.append(runner.job_run(job_id=job.pk))
    if item == job.params.get("taken_over_at"):
        # Another runner took the job over while this one was stalled on this item.
        BulkJob.objects.filter(pk=job.pk).update(lease_holder="other-host:1:x")
    if item and item % 50 == 0:
        raise ValidationError("fifty")
    return "counted"


@pytest.fixture
def counting():
    runner.register(
        runner.JobKind(
            code="test_count", label="Count", run_item=_count, item_ref=lambda job, n: f"#{n}"
        )
    )
    calls.clear()
    second_runs.clear()
    kill_at.clear()
    yield calls
    del runner._KINDS["test_count"]


def queued(commune, user, n=200, **params) -> BulkJob:
    return BulkJob.objects.create(
        kind="test_count",
        state=BulkJob.State.QUEUED,
        commune=commune,
        created_by=user,
        confirmed_at=timezone.now(),
        items=list(range(n)),
        total=n,
        params=params,
    )


def later(minutes: int):
    """Move the clock of everything that asks django.utils.timezone."""
    return mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + timedelta(minutes=minutes)
    )


def killed_at_18(commune, user) -> BulkJob:
    job = queued(commune, user)
    kill_at.add(18)
    with pytest.raises(WorkerKilled):
        runner.job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_a_killed_worker_s_job_is_taken_up_at_the_first_item_not_done(
    counting, commune_a, officer_a
):
    job = killed_at_18(commune_a, officer_a)
    assert (job.state, job.cursor, job.done, job.failed) == ("running", 18, 18, 0)
    assert job.lease_holder and job.lease_expires_at > timezone.now()

    # While its lease runs, the job is not taken from its worker (which may only be slow).
    call_command("maintenance", "bulk_jobs_resume")
    assert BulkJob.objects.get(pk=job.pk).cursor == 18

    with later(6):
        call_command("maintenance", "bulk_jobs_resume")
    job.refresh_from_db()
    assert (job.state, job.cursor, job.done, job.failed, job.total) == ("done", 200, 197, 3, 200)
    assert job.params["outcomes"] == {"counted": 197}
    assert [e["ref"] for e in job.errors] == ["#50", "#100", "#150"]
    assert job.resumed_count == 1 and job.resumed_at is not None
    assert (job.lease_holder, job.lease_expires_at) == ("", None)
    # Item 18 was in hand when the worker died (its writes rolled back); the rest ran once.
    assert sorted(calls) == sorted([*range(200), 18])


@pytest.mark.django_db(transaction=True)  # the worker closes its database connections
def test_a_restarted_worker_takes_up_at_once_the_job_of_its_dead_predecessor(
    settings, counting, commune_a, officer_a
):
    job = killed_at_18(commune_a, officer_a)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    host, _pid, nonce = job.lease_holder.split(":")
    BulkJob.objects.filter(pk=job.pk).update(lease_holder=f"{host}:{dead.stdout.strip()}:{nonce}")

    settings.TASKS = {**settings.TASKS, "db": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command(
        "db_worker",
        "--backend",
        "db",
        "--batch",
        "--no-startup-delay",
        "--interval",
        "0",
        verbosity=0,
    )

    job.refresh_from_db()
    assert (job.state, job.done, job.failed, job.resumed_count) == ("done", 197, 3, 1)


@pytest.mark.django_db
def test_an_item_that_kills_every_worker_stops_the_job_after_five_resumes(
    counting, commune_a, officer_a
):
    job = queued(commune_a, officer_a, n=30, kills_every_time=18)
    kill_at.add(18)
    with pytest.raises(WorkerKilled):
        runner.job_run(job_id=job.pk)
    for minutes in range(6, 6 * 7, 6):
        with later(minutes):
            recovery.jobs_resume()  # the task dies at item 18 again each time
    job.refresh_from_db()
    assert (job.state, job.cursor, job.done, job.failed) == ("failed", 18, 18, 0)
    assert job.resumed_count == 5 and calls.count(18) == 6
    assert job.errors == [
        {
            "ref": "#18",
            "message": "Máy xử lý đã dừng đột ngột 6 lần khi làm đến mục này; việc đã dừng để "
            "bộ phận kỹ thuật kiểm tra. Các mục trước đó đã được thực hiện.",
        }
    ]
    with later(60):
        assert recovery.jobs_resume() == 0
        assert runner.job_run(job_id=job.pk).state == "failed"
    assert calls.count(18) == 6


@pytest.mark.django_db
def test_a_job_held_by_a_live_runner_is_left_to_it(counting, commune_a, officer_a):
    job = killed_at_18(commune_a, officer_a)
    elsewhere = "another-host:1:abc"
    alive_here = f"{job.lease_holder.split(':')[0]}:{os.getppid()}:abc"
    for holder in (elsewhere, alive_here):
        BulkJob.objects.filter(pk=job.pk).update(lease_holder=holder)
        assert recovery.jobs_resume() == 0
        assert runner.job_run(job_id=job.pk).cursor == 18
    assert calls == list(range(19))


@pytest.mark.django_db
def test_a_second_runner_finds_the_job_claimed_and_leaves(counting, commune_a, officer_a):
    job = queued(commune_a, officer_a, second_runner_at=5)
    runner.job_run(job_id=job.pk)
    job.refresh_from_db()
    [second] = second_runs
    assert (second.state, second.cursor) == ("running", 5)  # it saw the job, and left it
    assert (job.state, job.done, job.failed, job.total) == ("done", 197, 3, 200)
    assert job.processed <= job.total and calls == list(range(200))


@pytest.mark.django_db
def test_a_finished_or_cancelled_job_is_not_run_again(counting, commune_a, officer_a):
    job = queued(commune_a, officer_a, n=3)
    runner.job_run(job_id=job.pk)
    runner.job_run(job_id=job.pk)
    cancelled = queued(commune_a, officer_a, n=3)
    BulkJob.objects.filter(pk=cancelled.pk).update(state=BulkJob.State.CANCELLED)
    runner.job_run(job_id=cancelled.pk)
    with later(60):
        assert recovery.jobs_resume() == 0
    assert calls == [0, 1, 2]
    assert BulkJob.objects.get(pk=job.pk).done == 3


@pytest.mark.django_db
def test_a_runner_whose_job_was_taken_over_rolls_back_its_item_and_leaves(
    counting, commune_a, officer_a
):
    job = queued(commune_a, officer_a, n=10, taken_over_at=4)
    runner.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert calls == [0, 1, 2, 3, 4]
    # Item 4's writes (here the takeover itself, which a real runner would have committed
    # from its own connection) are rolled back; the job is neither failed nor done.
    assert (job.state, job.done, job.cursor, job.params["outcomes"]) == (
        "running",
        4,
        4,
        {"counted": 4},
    )


@pytest.mark.django_db(transaction=True)
def test_two_runners_started_together_run_the_job_once(counting, commune_a, officer_a):
    job = queued(commune_a, officer_a, n=120)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run():
        try:
            start.wait()
            runner.job_run(job_id=job.pk)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    job.refresh_from_db()
    assert errors == []
    assert (job.state, job.done, job.failed, job.total) == ("done", 118, 2, 120)
    assert sorted(calls) == list(range(120))
