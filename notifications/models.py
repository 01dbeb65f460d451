from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.masking import mask_phone


class Channel(models.TextChoices):
    """The channels this app ships (notifications.channels registers their senders).
    `Notification.channel` holds a registered code without database choices, so a
    channel added by registration needs no migration."""

    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    ZALO = "zalo", _("Zalo")


class Kind(models.TextChoices):
    """Known kinds of message; `kind` is free text, so a new kind needs no migration."""

    DECLARATION_RECEIVED = "declaration_received", _("Đã nhận khai báo")
    DECLARATION_LINKED = "declaration_linked", _("Khai báo trùng được gộp vào hồ sơ")
    DECLARATION_REJECTED = "declaration_rejected", _("Khai báo không được chấp nhận")
    DECISION_ISSUED = "decision_issued", _("Đã ban hành quyết định cách ly")
    RECOVERY_CONFIRMED = "recovery_confirmed", _("Đã xác nhận hoàn thành cách ly")
    RECOVERY_REFUSED = "recovery_refused", _("Khai báo khỏi bệnh bị từ chối xác nhận")
    PHONE_CODE = "phone_code", _("Mã xác nhận số điện thoại")
    DAILY_REPORT_LINK = "daily_report_link", _("Đường dẫn báo cáo sức khỏe hằng ngày")
    DANGER_ALERT = "danger_alert", _("Cảnh báo dấu hiệu nguy hiểm cho cán bộ xã")
    DAILY_DIGEST = "daily_digest", _("Bản tin công việc hằng ngày cho cán bộ")
    STATUS_LINK = "status_link", _("Gửi lại mã hồ sơ và địa chỉ xem hồ sơ")


class NotificationQuerySet(models.QuerySet):
    def for_object(self, object_type: str, object_id: str) -> "NotificationQuerySet":
        return self.filter(object_type=object_type, object_id=object_id)


class Notification(models.Model):
    """One outgoing SMS or email, kept as an outbox row with its delivery outcome.

    The body is stored so that officers can see what a citizen was told. Callers must put
    only the tracking code, names of steps and links in it, never an ID number, a birth date
    or a health detail: the row outlives the case's need for it only until the purge.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không thành công")

    # A code of notifications.channels' registry (checked in clean()): no choices here.
    channel = models.CharField(_("kênh"), max_length=16)
    recipient = models.CharField(_("người nhận"), max_length=254)
    kind = models.CharField(_("loại thông báo"), max_length=40, db_index=True)
    subject = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    body = models.TextField(_("nội dung"))
    # One-time codes are blanked out of the body once delivery is over.
    sensitive = models.BooleanField(_("nội dung có mã bí mật"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=64, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    # The message's named values (tracking code, links), for channels that send a
    # template and its data rather than a text (Zalo ZNS). Same rule as the body: no ID
    # number, birth date or health detail.
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    # A message that must go at most once (a person's digest of one day): the second row
    # with the same key is refused by the database.
    once_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    # The worker delivering the row ("host:pid:nonce", core.leases) and until when; the
    # maintenance job queues again a pending row whose lease ended (notifications.recovery).
    lease_holder = models.CharField(max_length=100, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.kind} #{self.pk} ({self.status})"

    def clean(self):
        super().clean()
        from notifications.channels import channel_or_none

        if channel_or_none(self.channel) is None:
            raise ValidationError({"channel": _("Kênh gửi thông báo không được hỗ trợ.")})


class PhoneVerification(models.Model):
    """A one-time code sent to a phone before a declaration; only its keyed hash is kept."""

    phone = models.CharField(_("số điện thoại"), max_length=16)
    code_hash = models.CharField(_("mã băm"), max_length=128)
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    attempts = models.PositiveSmallIntegerField(_("số lần nhập"), default=0)
    verified_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã xác nhận số điện thoại")
        verbose_name_plural = _("mã xác nhận số điện thoại")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["phone", "created_at"])]

    def __str__(self) -> str:
        return f"{mask_phone(self.phone)} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"
