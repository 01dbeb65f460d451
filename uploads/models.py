import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(24)


def stored_name(instance: "Upload", filename: str) -> str:
    # The name on disk is random and unrelated to the public token or the citizen's file name.
    return timezone.localtime().strftime(f"uploads/%Y/%m/{secrets.token_urlsafe(24)}.jpg")


class Upload(models.Model):
    """A photo a citizen or an officer uploaded, re-encoded as a metadata-free JPEG."""

    class Kind(models.TextChoices):
        TEST_PHOTO = "test_photo", _("Ảnh kết quả xét nghiệm dương tính")
        ID_PHOTO = "id_photo", _("Ảnh giấy tờ tùy thân")
        RECOVERY_PHOTO = "recovery_photo", _("Ảnh kết quả xét nghiệm âm tính")

    token = models.CharField(
        _("mã ảnh"), max_length=64, unique=True, default=new_token, editable=False
    )
    kind = models.CharField(_("loại ảnh"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("tệp"), upload_to=stored_name, max_length=200)
    content_type = models.CharField(_("kiểu nội dung"), max_length=50, default="image/jpeg")
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    width = models.PositiveIntegerField(_("chiều rộng"))
    height = models.PositiveIntegerField(_("chiều cao"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    # dHash of the picture as a signed 64-bit integer; see uploads.images.dhash.
    phash = models.BigIntegerField(_("mã băm hình ảnh"), db_index=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("thời điểm tải lên"), default=timezone.now)
    attached_at = models.DateTimeField(_("thời điểm gắn vào hồ sơ"), null=True, blank=True)

    class Meta:
        verbose_name = _("ảnh tải lên")
        verbose_name_plural = _("ảnh tải lên")
        indexes = [
            # The purge looks only at uploads no case has claimed.
            models.Index(
                fields=["created_at"],
                condition=models.Q(attached_at__isnull=True),
                name="uploads_unattached_created",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def phash_hex(self) -> str:
        return f"{self.phash & 0xFFFF_FFFF_FFFF_FFFF:016x}"
