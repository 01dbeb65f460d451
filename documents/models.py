"""Official documents of a case, their number series and the wording each commune uses.

An issued document is a fixed record: its number, file and checksum never change and the
row is never deleted. The only correction is to revoke it and issue a replacement.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents.signing import SignerKind


class Kind(models.TextChoices):
    ISOLATION_DECISION = "isolation_decision", _("Quyết định cách ly y tế tại nhà")
    RECOVERY_CONFIRMATION = (
        "recovery_confirmation",
        _("Giấy xác nhận hoàn thành thời gian cách ly y tế tại nhà"),
    )


class SignerTitle(models.TextChoices):
    CHAIRMAN = "chairman", _("CHỦ TỊCH")
    VICE_CHAIRMAN = "vice_chairman", _("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")


class DocumentTemplateSettings(models.Model):
    """The wording that changes by place and time, for a province (defaults) or a commune.

    A commune without a row of its own uses its province's row, and a province without one
    uses the defaults in documents.composition. Placeholders in legal bases and recipients: {xa}, {huyen},
    {tinh} become the commune, district and province names.
    """

    unit = models.OneToOneField(
        "units.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="document_settings",
    )
    legal_bases = models.JSONField(_("căn cứ ban hành quyết định"), default=list)
    decision_recipients = models.JSONField(_("nơi nhận quyết định"), default=list)
    confirmation_recipients = models.JSONField(
        _("nơi nhận giấy xác nhận hoàn thành cách ly"), default=list, blank=True
    )
    signer_title = models.CharField(
        _("chức danh người ký"),
        max_length=16,
        choices=SignerTitle.choices,
        default=SignerTitle.CHAIRMAN,
    )
    signer_name = models.CharField(
        _("họ tên người ký"),
        max_length=100,
        blank=True,
        help_text=_("Để trống: in tên của lãnh đạo bấm ban hành."),
    )
    health_station = models.CharField(
        _("tên trạm y tế"),
        max_length=150,
        blank=True,
        help_text=_("Để trống: «Trạm Y tế» và tên xã."),
    )
    health_station_phone = models.CharField(
        _("số điện thoại trạm y tế"),
        max_length=20,
        blank=True,
        help_text=_("In trên áp phích tuyên truyền và trong lời khuyên khi có dấu hiệu nguy hiểm."),
    )
    # The number's symbol is "<kind>-<issuer>" (Decree 30/2020/NĐ-CP, Appendix I, item 3):
    # the kind's abbreviation from Appendix III, then the issuing body's. A decision of the
    # commune People's Committee is "QĐ-UBND" (Quyết định = QĐ). Appendix III lists no
    # "Giấy xác nhận"; "GXN" is formed as the decree forms its other "Giấy ..." kinds (Giấy
    # mời GM, Giấy giới thiệu GGT, Giấy ủy quyền GUQ, Giấy nghỉ phép GNP). A commune whose
    # registry numbers them otherwise (e.g. "XN-UBND") sets its own, per kind.
    decision_symbol = models.CharField(_("ký hiệu quyết định"), max_length=20, default="QĐ-UBND")
    confirmation_symbol = models.CharField(
        _("ký hiệu giấy xác nhận hoàn thành cách ly"), max_length=20, default="GXN-UBND"
    )
    leader_must_issue = models.BooleanField(
        _("lãnh đạo xã ban hành (hai bước)"),
        default=True,
        help_text=_(
            "Bật: cán bộ xã dự thảo, lãnh đạo xã ban hành. Tắt: cán bộ xã cũng được ban hành."
        ),
    )
    social_insurance_note = models.BooleanField(
        _("ghi chú dùng cho chế độ BHXH trên giấy xác nhận hoàn thành cách ly"), default=True
    )
    # Which signer (documents.signing) signs the unit's documents; its secrets (module path,
    # token and key labels, service URL and client credentials) are in the environment and
    # the PIN is typed at signing, never stored.
    signer_kind = models.CharField(
        _("cách ký số"),
        max_length=8,
        choices=SignerKind.choices,
        default=SignerKind.FILE,
        help_text=_(
            "Token và ký từ xa cần cấu hình trên máy chủ (xem .env.example); mã PIN được hỏi "
            "mỗi lần ký và không lưu lại."
        ),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("mẫu văn bản của đơn vị")
        verbose_name_plural = _("mẫu văn bản của đơn vị")

    def __str__(self) -> str:
        return str(self.unit)

    def symbol_for(self, kind: str) -> str:
        return self.decision_symbol if kind == Kind.ISOLATION_DECISION else self.confirmation_symbol


class DocumentCounter(models.Model):
    """The last number issued in one series: one commune, one kind, one calendar year."""

    commune = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "kind", "year"], name="one_counter_per_series"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.kind} {self.year}: {self.last_number}"


class DocumentQuerySet(models.QuerySet):
    def live(self):
        """Prepared or issued: what is not revoked."""
        return self.exclude(state=Document.State.REVOKED)

    def issued(self):
        return self.filter(state=Document.State.ISSUED)


# Fields a revocation may write on an issued document; nothing else ever changes.
REVOCATION_FIELDS = frozenset({"state", "revoked_at", "revoked_by", "revocation_reason"})


class Document(models.Model):
    """An isolation decision or recovery confirmation: prepared, then issued, maybe revoked."""

    class State(models.TextChoices):
        PREPARED = "prepared", _("Dự thảo, chờ ban hành")
        ISSUED = "issued", _("Đã ban hành")
        REVOKED = "revoked", _("Đã thu hồi")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("loại văn bản"), max_length=24, choices=Kind.choices)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=State.choices, default=State.PREPARED
    )
    commune = models.ForeignKey(
        "units.Unit", verbose_name=_("xã ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(_("dự thảo lúc"), auto_now_add=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # Set once, when issued.
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=20, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ban hành"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signer_name = models.CharField(_("người ký"), max_length=100, blank=True)
    signer_title = models.CharField(_("chức danh ký"), max_length=40, blank=True)
    # What was printed (or, while prepared, what would be): the rendering input as JSON.
    data = models.JSONField(_("nội dung"), default=dict, blank=True)
    file = models.FileField(_("tệp PDF"), max_length=200, blank=True)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, blank=True)
    verification_token = models.CharField(max_length=32, unique=True, null=True, blank=True)
    signed_with_dev_certificate = models.BooleanField(
        _("ký bằng chứng thư thử nghiệm"), default=False
    )

    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thu hồi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.TextField(_("lý do thu hồi"), blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("thay thế văn bản"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-prepared_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "kind", "year", "number"], name="document_number_unique"
            ),
            # One prepared-or-issued document of each kind per case: a second preparation
            # or a double issue cannot slip in, even at the same instant.
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=~Q(state="revoked"),
                name="one_live_document_per_case_kind",
            ),
            models.CheckConstraint(
                condition=Q(state="prepared", number__isnull=True)
                | (
                    ~Q(state="prepared")
                    & Q(number__isnull=False, year__isnull=False, issued_at__isnull=False)
                ),
                name="document_numbered_once_issued",
            ),
        ]
        indexes = [
            models.Index(fields=["commune", "state", "kind", "prepared_at"]),
        ]

    def __str__(self) -> str:
        if self.number is None:
            return f"{self.get_kind_display()} ({self.get_state_display()})"
        return f"{self.get_kind_display()} số {self.number_label}"

    def save(self, *args, **kwargs):
        # An issued document is a record: once stored as issued, only a revocation may
        # touch it, and only its revocation fields.
        loaded = getattr(self, "_loaded_state", self.State.PREPARED)
        if loaded != self.State.PREPARED:
            fields = kwargs.get("update_fields")
            is_revocation = (
                loaded == self.State.ISSUED
                and self.state == self.State.REVOKED
                and fields is not None
                and set(fields) <= REVOCATION_FIELDS
            )
            if not is_revocation:
                raise ValidationError(
                    _("Văn bản đã ban hành không được sửa; hãy thu hồi và ban hành văn bản khác.")
                )
        super().save(*args, **kwargs)
        self._loaded_state = self.state

    def delete(self, *args, **kwargs):
        if getattr(self, "_loaded_state", self.state) != self.State.PREPARED:
            raise ValidationError(_("Văn bản đã ban hành không được xóa."))
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_state = instance.__dict__.get("state")
        return instance

    @property
    def number_label(self) -> str:
        """`05/QĐ-UBND`: at least two digits, then the symbol."""
        if self.number is None:
            return ""
        return f"{self.number:02d}/{self.symbol}"

    @property
    def is_issued(self) -> bool:
        return self.state == self.State.ISSUED

    @property
    def is_revoked(self) -> bool:
        return self.state == self.State.REVOKED

    @property
    def is_prepared(self) -> bool:
        return self.state == self.State.PREPARED
