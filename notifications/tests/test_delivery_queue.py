"""Delivery through the database task queue, as in production (a worker runs the tasks)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.models import Channel, Notification
from notifications.services import notification_send


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _run_queued_task(queued: DBTaskResult) -> None:
    # What db_worker does with a claimed row; the command itself closes the test's connection.
    queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])


def _send():
    return notification_send(
        channel=Channel.SMS, recipient="0912345678", kind="declaration_received", body="Ma ho so"
    )


def test_delivery_is_queued_with_the_row_id_only(
    db, database_queue, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _send()
    [queued] = DBTaskResult.objects.all()
    # The queue table holds no phone number or text, only the outbox row's id.
    assert queued.args_kwargs == {"args": [notification.pk], "kwargs": {}}
    assert sms_outbox.read() == []
    _run_queued_task(queued)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(sms_outbox.read()) == 1


def test_the_task_row_commits_and_rolls_back_with_the_notification(db, database_queue):
    # Queued before commit: one commit for both rows, and never a task without its row.
    notification = _send()
    assert DBTaskResult.objects.get().args_kwargs["args"] == [notification.pk]

    with pytest.raises(RuntimeError), transaction.atomic():
        _send()
        raise RuntimeError("the caller fails after queueing")
    assert Notification.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_a_failed_attempt_is_retried_later_not_at_once(
    db, database_queue, http_sms, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_RETRY_DELAY_SECONDS = 120
    http_sms.statuses = [500]
    with django_capture_on_commit_callbacks(execute=True):
        notification = _send()
    first = DBTaskResult.objects.get()
    _run_queued_task(first)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert notification.attempts == 1
    retry = DBTaskResult.objects.exclude(pk=first.pk).get()
    assert retry.run_after > timezone.now() + timedelta(seconds=100)
    assert len(http_sms.requests) == 1
