from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from units.models import Unit


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống (Sở TTTT)")
    PROVINCE_HEALTH = "province_health", _("Sở Y tế")
    DISTRICT_STAFF = "district_staff", _("Cán bộ cấp huyện (UBND huyện, TTYT)")
    COMMUNE_LEADER = "commune_leader", _("Lãnh đạo UBND xã")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ xã / Trạm y tế")


# The level of unit each role is bound to.
ROLE_LEVEL = {
    Role.SYSTEM_ADMIN: Unit.Level.PROVINCE,
    Role.PROVINCE_HEALTH: Unit.Level.PROVINCE,
    Role.DISTRICT_STAFF: Unit.Level.DISTRICT,
    Role.COMMUNE_LEADER: Unit.Level.COMMUNE,
    Role.COMMUNE_OFFICER: Unit.Level.COMMUNE,
}
COMMUNE_ROLES = (Role.COMMUNE_LEADER, Role.COMMUNE_OFFICER)
MONITORING_ROLES = (Role.PROVINCE_HEALTH, Role.DISTRICT_STAFF)
CASE_READER_ROLES = (*COMMUNE_ROLES, *MONITORING_ROLES)
# Who reads the isolation rule sets, and who adds or changes them: the provincial
# Department of Health, which applies the Ministry of Health's decisions in the province.
RULE_READER_ROLES = (*MONITORING_ROLES, Role.SYSTEM_ADMIN)
RULE_EDITOR_ROLES = (Role.PROVINCE_HEALTH,)
# Who gets the morning digest of work waiting (reports.digests): those who must act on it.
DIGEST_ROLES = (*COMMUNE_ROLES, Role.DISTRICT_STAFF)


class User(AbstractUser):
    """An official's account, bound to one role in one administrative unit."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    job_title = models.CharField(_("chức vụ"), max_length=100, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    must_change_password = models.BooleanField(_("phải đổi mật khẩu"), default=False)
    # The morning digest of work waiting (reports.digests): by email unless turned off,
    # by SMS too when the official asks for it (it costs the province a message a day).
    digest_email = models.BooleanField(_("nhận bản tin hằng ngày qua email"), default=True)
    digest_sms = models.BooleanField(_("nhận bản tin hằng ngày qua SMS"), default=False)
    created_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        indexes = [models.Index(fields=["unit", "role"])]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self):
        super().clean()
        if self.role and self.unit is None:
            raise ValidationError({"unit": _("Tài khoản có vai trò phải gắn với một đơn vị.")})
        if self.role and self.unit and self.unit.level != ROLE_LEVEL[self.role]:
            raise ValidationError(
                {
                    "unit": _("Vai trò %(role)s phải gắn với đơn vị cấp %(level)s.")
                    % {
                        "role": self.get_role_display(),
                        "level": Unit.Level(ROLE_LEVEL[self.role]).label,
                    }
                }
            )

    @property
    def receives_digest(self) -> bool:
        """Whether the role has a morning digest: commune officials and district staff."""
        return self.role in DIGEST_ROLES

    @property
    def is_commune_user(self) -> bool:
        return self.role in COMMUNE_ROLES

    @property
    def may_edit_isolation_rules(self) -> bool:
        return self.role in RULE_EDITOR_ROLES and self.unit_id is not None

    def may_act_for(self, commune: "Unit | int | None") -> bool:
        """Whether this account acts on the cases and documents of `commune` (a Unit or its
        pk): only the commune's own officers and leaders do (letter 1020/UBND-THCBKS: the
        commune's People's Committee decides); districts and the province only watch."""
        commune_id = commune.pk if isinstance(commune, Unit) else commune
        return self.role in COMMUNE_ROLES and commune_id is not None and self.unit_id == commune_id

    @property
    def is_system_admin(self) -> bool:
        return self.role == Role.SYSTEM_ADMIN
