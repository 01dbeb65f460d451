import pytest
from django.core import mail
from django.db import transaction

from accounts.models import User
from notifications.models import Channel, Kind, Notification
from notifications.selectors import notifications_for
from notifications.services import citizen_notify, notification_send

STATUS_URL = "https://khaibaof0.tuyenquang.gov.vn/tra-cuu/TQ-7K3M-9QXH"


def _send_sms(**extra):
    return notification_send(
        channel=Channel.SMS,
        recipient="0912345678",
        kind=Kind.DECLARATION_RECEIVED,
        body="Ma ho so: TQ-7K3M-9QXH",
        **extra,
    )


def test_sms_is_sent_only_after_the_transaction_commits(
    db, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _send_sms()
        assert sms_outbox.read() == []
        assert notification.status == Notification.Status.PENDING
    assert [m["text"] for m in sms_outbox.read()] == ["Ma ho so: TQ-7K3M-9QXH"]
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
    assert notification.sent_at is not None


def test_nothing_is_sent_when_the_transaction_rolls_back(
    db, sms_outbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _send_sms()
        raise RuntimeError("the declaration failed to save")
    assert callbacks == []
    assert sms_outbox.read() == []
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_rollback_with_real_transactions_sends_nothing(sms_outbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        _send_sms()
        raise RuntimeError("the declaration failed to save")
    assert sms_outbox.read() == []
    with transaction.atomic():
        _send_sms()
    assert len(sms_outbox.read()) == 1


def test_phone_is_stored_in_national_form(db, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(
            channel=Channel.SMS, recipient="+84 912 345 678", kind="x", body="Xin chao"
        )
    assert notification.recipient == "0912345678"
    assert sms_outbox.read()[0]["to"] == "0912345678"


@pytest.mark.parametrize("recipient", ["", "   ", None])
def test_no_recipient_queues_nothing(db, sms_outbox, django_capture_on_commit_callbacks, recipient):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = notification_send(channel=Channel.SMS, recipient=recipient, kind="x", body="x")
    assert result is None
    assert callbacks == []
    assert not Notification.objects.exists()


def test_email_is_sent_with_subject_and_body(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            channel=Channel.EMAIL,
            recipient="hang.nguyen@example.vn",
            kind=Kind.DECLARATION_RECEIVED,
            subject="Đã nhận khai báo nhiễm COVID-19",
            body="Mã hồ sơ của bạn là TQ-7K3M-9QXH.",
        )
    [email] = mail.outbox
    assert email.to == ["hang.nguyen@example.vn"]
    assert email.subject == "Đã nhận khai báo nhiễm COVID-19"
    assert email.body == "Mã hồ sơ của bạn là TQ-7K3M-9QXH."


def test_citizen_notify_uses_both_channels_given(
    db, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = citizen_notify(
            kind=Kind.DECLARATION_RECEIVED,
            phone="0912345678",
            email="hang.nguyen@example.vn",
            tracking_code="TQ-7K3M-9QXH",
            status_url=STATUS_URL,
        )
    assert sorted(n.channel for n in sent) == ["email", "sms"]
    assert sms_outbox.read()[0]["text"].startswith(
        "Da nhan khai bao COVID-19. Ma ho so: TQ-7K3M-9QXH."
    )
    assert mail.outbox[0].subject == "Đã nhận khai báo nhiễm COVID-19, mã hồ sơ TQ-7K3M-9QXH"


def test_citizen_notify_without_email_sends_sms_only(
    db, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = citizen_notify(
            kind=Kind.DECISION_ISSUED,
            phone="0912345678",
            email="",
            tracking_code="TQ-7K3M-9QXH",
            status_url=STATUS_URL,
        )
    assert [n.channel for n in sent] == ["sms"]
    assert len(sms_outbox.read()) == 1
    assert mail.outbox == []


def test_a_case_lists_its_notifications(officer_a, sms_outbox):
    # Any saved model stands in for a case here.
    first = _send_sms(ref=officer_a)
    second = _send_sms(ref=officer_a)
    _send_sms(ref=("cases.case", "999"))
    _send_sms()
    assert list(notifications_for(officer_a)) == [second, first]
    assert first.object_type == User._meta.label_lower


def test_failing_gateway_is_retried_then_recorded_as_failed(
    db, http_sms, django_capture_on_commit_callbacks
):
    http_sms.statuses = [500, 500, 500]
    with django_capture_on_commit_callbacks(execute=True):
        notification = _send_sms()
    notification.refresh_from_db()
    assert len(http_sms.requests) == 3
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 3
    assert "HTTP 500" in notification.last_error
    assert notification.sent_at is None


def test_gateway_that_recovers_delivers_on_a_later_attempt(
    db, http_sms, django_capture_on_commit_callbacks
):
    http_sms.statuses = [502, 200]
    with django_capture_on_commit_callbacks(execute=True):
        notification = _send_sms()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 2
    assert "HTTP 502" in notification.last_error
    assert http_sms.messages[-1]["message"] == "Ma ho so: TQ-7K3M-9QXH"


def test_unreachable_gateway_does_not_break_the_request(
    db, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "notifications.backends.HTTPSMSBackend"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/nothing-listens-here"
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        notification = _send_sms()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 2
    assert "unreachable" in notification.last_error


def test_a_sent_notification_is_not_sent_twice(db, sms_outbox, django_capture_on_commit_callbacks):
    from notifications.tasks import notification_deliver

    with django_capture_on_commit_callbacks(execute=True):
        notification = _send_sms()
    notification_deliver.enqueue(notification.pk)
    assert len(sms_outbox.read()) == 1
