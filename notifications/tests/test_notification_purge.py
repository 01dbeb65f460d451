from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from notifications.models import Channel, Notification
from notifications.services import notification_purge, notification_send


def _sent_days_ago(days: int) -> Notification:
    notification = notification_send(
        channel=Channel.SMS, recipient="0912345678", kind="x", body=f"{days} days old"
    )
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )
    return notification


def test_notifications_past_retention_are_deleted(db):
    _sent_days_ago(181)
    kept = _sent_days_ago(179)
    assert notification_purge() == 1
    assert list(Notification.objects.all()) == [kept]


def test_retention_follows_the_setting(db, settings):
    settings.NOTIFICATION_RETENTION_DAYS = 30
    _sent_days_ago(31)
    _sent_days_ago(29)
    assert notification_purge() == 1


def test_purge_command_reports_what_it_deleted(db, capsys):
    _sent_days_ago(200)
    call_command("purge_notifications")
    assert "Đã xóa 1 thông báo và 0 mã xác nhận." in capsys.readouterr().out
    assert not Notification.objects.exists()
