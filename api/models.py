from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A key with which another system (a laboratory, a hospital, national reporting) calls
    the API as an account of one role in one unit.

    The key itself is shown once, when it is created; only its SHA-256 digest is kept (the
    key has 256 bits of randomness, so a fast hash suffices). `account` is the service
    account the key acts as: cases, events and audit entries name it like any official, and
    the scope rules of the pages (cases.selectors, User.may_act_for) apply to it unchanged.
    """

    name = models.CharField(_("tên hệ thống sử dụng"), max_length=100)
    prefix = models.CharField(_("mã nhận diện"), max_length=12, unique=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_token"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("dùng lần cuối lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class IdempotentRequest(models.Model):
    """The answer given to a write sent with an `Idempotency-Key`, so that a retry gets the
    same answer instead of doing the work twice. Keys are per account; the same key with
    another body is a conflict (409)."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=100)
    operation = models.CharField(max_length=64)
    body_digest = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "key"], name="one_answer_per_api_key")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.key}"
