"""Zalo as a channel (issue 13.5), against a local fake of the ZNS API (conftest FakeZNS).

Never tried against the real service: the request and answers follow its documentation
(see notifications.backends.ZaloZNSBackend)."""

import pytest
from django.core.exceptions import ValidationError

from notifications import channels
from notifications.models import Channel, Kind, Notification
from notifications.services import citizen_notify, notification_send

STATUS_URL = "https://khaibaof0.tuyenquang.gov.vn/tra-cuu/"


def tell(channel: str = Channel.ZALO, kind: str = Kind.DECLARATION_RECEIVED):
    return citizen_notify(
        kind=kind,
        phone="0912 345 678",
        phone_channel=channel,
        tracking_code="TQ-7K3M-9QXH",
        status_url=STATUS_URL,
    )


def test_a_citizen_who_chose_zalo_gets_the_approved_template_with_the_tracking_code(
    db, zalo, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = tell()
    [request] = zalo.requests
    assert request["path"] == "/message/template"
    assert request["access_token"] == "oa-access-token-xyz"
    assert request["json"] == {
        "phone": "84912345678",
        "template_id": "231245",
        "template_data": {"tracking_code": "TQ-7K3M-9QXH", "status_url": STATUS_URL},
        "tracking_id": f"kf0-{notification.pk}",
    }
    notification.refresh_from_db()
    assert (notification.channel, notification.status) == ("zalo", "sent")
    assert sms_outbox.read() == []


def test_zalo_is_off_by_default_and_the_citizen_is_told_by_sms(
    db, sms_outbox, django_capture_on_commit_callbacks
):
    assert channels.phone_channel_choices() == [("sms", "Tin nhắn SMS")]
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = tell()
    assert notification.channel == Channel.SMS
    assert [m["to"] for m in sms_outbox.read()] == ["0912345678"]


def test_a_phone_without_zalo_gets_the_same_news_by_sms_at_once(
    db, zalo, sms_outbox, django_capture_on_commit_callbacks
):
    zalo.errors = [-108]  # phone number invalid (for Zalo): no retry can help
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = tell()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert "-108" in notification.last_error
    [sms] = sms_outbox.read()
    assert "TQ-7K3M-9QXH" in sms["text"]
    assert len(zalo.requests) == 1


def test_a_kind_without_a_zalo_template_goes_by_sms(
    db, zalo, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(kind=Kind.DECLARATION_REJECTED)
    assert zalo.requests == []
    assert len(sms_outbox.read()) == 1


def test_a_passing_zalo_error_is_retried_later_not_turned_into_sms(
    db, zalo, sms_outbox, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    zalo.errors = [-100]  # unknown error, try again later
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        [notification] = tell()
    first = DBTaskResult.objects.get()
    first.task.call(*first.args_kwargs["args"])
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("pending", 1)
    assert DBTaskResult.objects.exclude(pk=first.pk).count() == 1  # the retry, later
    assert sms_outbox.read() == []


def test_a_new_channel_is_registered_without_a_migration(db, django_capture_on_commit_callbacks):
    sent = []
    channels.register(
        channels.ChannelSpec(
            code="viber", label="Viber", address="phone", send=lambda n: sent.append(n.recipient)
        )
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notification = notification_send(
                channel="viber", recipient="+84 912 345 678", kind="declaration_received", body="x"
            )
        notification.refresh_from_db()
        assert notification.status == Notification.Status.SENT
        assert sent == ["0912345678"]
    finally:
        del channels._CHANNELS["viber"]
    with pytest.raises(ValidationError):
        notification_send(channel="viber", recipient="0912345678", kind="x", body="x")
