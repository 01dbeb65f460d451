from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteSettings(models.Model):
    """Deployment-wide choices the province makes through the site, one row."""

    district_manages_commune_accounts = models.BooleanField(
        _("Cấp huyện được quản lý tài khoản của các xã"),
        default=False,
        help_text=_("Khi bật, cán bộ cấp huyện tạo, khóa và đặt lại mật khẩu tài khoản cấp xã."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cấu hình hệ thống")
        verbose_name_plural = _("cấu hình hệ thống")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "SiteSettings":
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class RateCounter(models.Model):
    """Attempts counted in one fixed time window for one client (see core.ratelimit)."""

    key = models.CharField(max_length=80, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}={self.count}"
