"""A worker killed while delivering a message: the claim (lease) and the re-queue."""

import subprocess
import sys
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.models import Channel, Notification
from notifications.services import notification_send
from notifications.tasks import delivery_claim, notification_deliver


class WorkerKilled(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing in the task catches it."""


class KillingSMSBackend:
    """Kills the worker on the first `kills` sends, then delivers (to `delivered`)."""

    kills = 1
    delivered: list[str] = []

    def send(self, *, phone: str, text: str) -> None:
        if KillingSMSBackend.kills:
            KillingSMSBackend.kills -= 1
            raise WorkerKilled
        KillingSMSBackend.delivered.append(phone)


@pytest.fixture
def killing_gateway(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SMS_BACKEND = f"{__name__}.KillingSMSBackend"
    settings.NOTIFICATION_LEASE_SECONDS = 120
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    KillingSMSBackend.kills = 1
    KillingSMSBackend.delivered = []
    return KillingSMSBackend


def later(seconds: int):
    """Move the clock of everything that asks django.utils.timezone."""
    return mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + timedelta(seconds=seconds)
    )


def run_queued_tasks() -> None:
    # What db_worker does with each queued row (the command closes the test's connection).
    for queued in DBTaskResult.objects.filter(status="READY").order_by("enqueued_at"):
        DBTaskResult.objects.filter(pk=queued.pk).update(status="SUCCESSFUL")
        queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])


def queued_sms() -> Notification:
    return notification_send(
        channel=Channel.SMS, recipient="0912345678", kind="declaration_received", body="Ma ho so"
    )


def killed_while_sending() -> Notification:
    notification = queued_sms()
    with pytest.raises(WorkerKilled):
        run_queued_tasks()
    notification.refresh_from_db()
    return notification


@pytest.mark.django_db
def test_a_message_whose_worker_was_killed_is_queued_again_once_its_lease_ends(killing_gateway):
    notification = killed_while_sending()
    assert notification.status == Notification.Status.PENDING
    assert notification.lease_holder and notification.attempts == 1

    # While the lease runs, the worker may still be alive and sending: left alone.
    call_command("maintenance", "notification_deliveries_resume")
    run_queued_tasks()
    assert killing_gateway.delivered == []

    with later(121):
        call_command("maintenance", "notification_deliveries_resume")
        run_queued_tasks()
        # A second maintenance run finds nothing more to do.
        call_command("maintenance", "notification_deliveries_resume")
        run_queued_tasks()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert (notification.lease_holder, notification.lease_expires_at) == ("", None)
    assert notification.attempts == 2
    assert killing_gateway.delivered == ["0912345678"]


@pytest.mark.django_db
def test_a_restarted_worker_takes_up_at_once_the_message_of_its_dead_predecessor(
    killing_gateway,
):
    notification = killed_while_sending()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    host, _pid, nonce = notification.lease_holder.split(":")
    Notification.objects.filter(pk=notification.pk).update(
        lease_holder=f"{host}:{dead.stdout.strip()}:{nonce}"
    )
    call_command("maintenance", "notification_deliveries_resume")
    run_queued_tasks()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert killing_gateway.delivered == ["0912345678"]


@pytest.mark.django_db
def test_a_message_that_kills_every_worker_is_marked_failed_not_sent_for_ever(killing_gateway):
    killing_gateway.kills = 10
    notification = killed_while_sending()
    for minutes in (3, 6):
        with later(60 * minutes), pytest.raises(WorkerKilled):
            call_command("maintenance", "notification_deliveries_resume")
            run_queued_tasks()
    with later(60 * 9):
        call_command("maintenance", "notification_deliveries_resume")
        run_queued_tasks()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 3
    assert "died" in notification.last_error


@pytest.mark.django_db
def test_a_message_held_by_a_live_worker_is_not_sent_by_a_second_task(killing_gateway):
    killing_gateway.kills = 0
    notification = queued_sms()
    # Another worker (on another host) holds it and is sending it now.
    assert delivery_claim(notification.pk, holder="other-host:1:abc") is not None
    assert notification_deliver.call(notification.pk) == "skipped"
    call_command("maintenance", "notification_deliveries_resume")
    assert killing_gateway.delivered == []
