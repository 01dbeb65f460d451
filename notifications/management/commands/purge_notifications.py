from django.core.management.base import BaseCommand

from notifications.services import notification_purge, phone_code_purge


class Command(BaseCommand):
    help = "Xóa thông báo quá thời hạn lưu (NOTIFICATION_RETENTION_DAYS) và mã xác nhận cũ."

    def handle(self, *args, **options):
        notifications = notification_purge()
        codes = phone_code_purge()
        self.stdout.write(f"Đã xóa {notifications} thông báo và {codes} mã xác nhận.")
