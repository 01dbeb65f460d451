from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import in_running_text


class UnitSet(models.Model):
    """One published list of administrative units (the GSO list in force for a period)."""

    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    has_districts = models.BooleanField(_("có cấp huyện"), default=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("danh mục đơn vị hành chính")
        verbose_name_plural = _("danh mục đơn vị hành chính")

    def __str__(self) -> str:
        return self.name


class UnitQuerySet(models.QuerySet):
    def within(self, unit: "Unit") -> "UnitQuerySet":
        """The unit itself and every unit below it."""
        if unit.level == Unit.Level.PROVINCE:
            return self.filter(Q(pk=unit.pk) | Q(province=unit))
        if unit.level == Unit.Level.DISTRICT:
            return self.filter(Q(pk=unit.pk) | Q(district=unit))
        return self.filter(pk=unit.pk)

    def communes(self) -> "UnitQuerySet":
        return self.filter(level=Unit.Level.COMMUNE)


class Unit(models.Model):
    """A province, district or commune (ward, town) with its GSO code.

    `province` and `district` repeat the ancestry so that scope checks are one indexed
    equality, whatever the depth; in a two-level set `district` stays empty.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh/Thành phố")
        DISTRICT = "district", _("Huyện/Quận/Thị xã/Thành phố thuộc tỉnh")
        COMMUNE = "commune", _("Xã/Phường/Thị trấn")

    unit_set = models.ForeignKey(UnitSet, on_delete=models.PROTECT, related_name="units")
    code = models.CharField(_("mã GSO"), max_length=5)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    name = models.CharField(_("tên"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    province = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    district = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["unit_set", "code"], name="unit_code_unique_in_set"),
        ]
        indexes = [models.Index(fields=["unit_set", "level", "code"])]

    def __str__(self) -> str:
        return self.name

    def contains(self, other: "Unit") -> bool:
        """Whether `other` is this unit or lies inside it."""
        if other.pk == self.pk:
            return True
        if self.level == self.Level.PROVINCE:
            return other.province_id == self.pk
        if self.level == self.Level.DISTRICT:
            return other.district_id == self.pk
        return False

    @property
    def province_unit(self) -> "Unit":
        return self if self.level == self.Level.PROVINCE else self.province

    @property
    def committee_name(self) -> str:
        """The People's Committee of this unit, as written in documents: `UBND xã Tràng Đà`."""
        return f"UBND {in_running_text(self.name)}"
