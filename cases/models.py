from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import (
    AWAITING_REVIEW,
    DANGER_SYMPTOMS,
    OFFICIAL_ACTIONS,
    OPEN_STATUSES,
    TRANSITIONS,
    Action,
    EventKind,
    IdType,
    Outcome,
    RejectReason,
    Sex,
    Status,
    TestedBy,
    TestType,
)


def default_danger_symptoms() -> list[str]:
    """The danger signs of the Ministry of Health's home-care guidance (cases.choices)."""
    return sorted(str(symptom) for symptom in DANGER_SYMPTOMS)


class RuleSet(models.Model):
    """Isolation and recovery rules in force from `effective_from` (by positive-test date).

    Day 1 of isolation is the day of the positive test, so "7 days" ends on start + 6.
    """

    name = models.CharField(_("tên"), max_length=200)
    legal_basis = models.TextField(_("căn cứ"), blank=True)
    effective_from = models.DateField(_("áp dụng cho ca dương tính từ ngày"), unique=True)
    isolation_days = models.PositiveSmallIntegerField(
        _("số ngày cách ly tối thiểu (kết thúc khi xét nghiệm âm tính)"), default=7
    )
    extended_days_vaccinated = models.PositiveSmallIntegerField(
        _("số ngày cách ly nếu còn dương tính, đã tiêm đủ liều"), default=10
    )
    extended_days_unvaccinated = models.PositiveSmallIntegerField(
        _("số ngày cách ly nếu còn dương tính, chưa tiêm đủ liều"), default=14
    )
    primary_series_doses = models.PositiveSmallIntegerField(
        _("số liều vắc xin cơ bản (tiêm đủ liều)"), default=2
    )
    max_test_age_days = models.PositiveSmallIntegerField(
        _("khai báo chậm nhất sau ngày xét nghiệm dương tính (ngày)"), default=14
    )
    elderly_age = models.PositiveSmallIntegerField(_("tuổi có nguy cơ cao"), default=65)
    spo2_danger_threshold = models.PositiveSmallIntegerField(
        _("SpO2 nguy hiểm khi nhỏ hơn hoặc bằng (%)"), default=96
    )
    # Fast breathing (breaths per minute, at or above) by age: adults and children from 12,
    # 5-11 and 1-4 years after the Ministry of Health's home-care guidance; under 1 year
    # the WHO threshold for infants.
    fast_breathing_from_12 = models.PositiveSmallIntegerField(
        _("thở nhanh từ (lần/phút), từ 12 tuổi"), default=20
    )
    fast_breathing_5_to_11 = models.PositiveSmallIntegerField(
        _("thở nhanh từ (lần/phút), 5 đến 11 tuổi"), default=30
    )
    fast_breathing_1_to_4 = models.PositiveSmallIntegerField(
        _("thở nhanh từ (lần/phút), 1 đến 4 tuổi"), default=40
    )
    fast_breathing_under_1 = models.PositiveSmallIntegerField(
        _("thở nhanh từ (lần/phút), dưới 1 tuổi"), default=50
    )
    # The symptoms (cases.choices.Symptom codes) that are danger signs: declared, or
    # reported on a day of isolation, they flag the case and alert the commune.
    danger_symptoms = models.JSONField(
        _("triệu chứng là dấu hiệu nguy hiểm"), default=default_danger_symptoms
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("quy định cách ly")
        verbose_name_plural = _("các quy định cách ly")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%d/%m/%Y})"


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def awaiting_review(self):
        return self.filter(status__in=AWAITING_REVIEW)


class Case(models.Model):
    """One person's infection, from declaration to its outcome, in one commune at a time.

    `district` and `province` repeat the commune's ancestry so that scope filters are one
    indexed equality. The status changes only through cases.services, which writes a
    CaseEvent in the same transaction.
    """

    tracking_code = models.CharField(_("mã hồ sơ"), max_length=16, unique=True)
    status = models.CharField(
        _("trạng thái"), max_length=24, choices=Status.choices, default=Status.SUBMITTED
    )
    outcome = models.CharField(_("kết quả"), max_length=16, choices=Outcome.choices, blank=True)

    commune = models.ForeignKey(
        "units.Unit",
        verbose_name=_("xã, phường"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    district = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")

    # Person
    full_name = models.CharField(_("họ và tên"), max_length=100)
    name_key = models.CharField(max_length=100, db_index=True, editable=False)
    date_of_birth = models.DateField(_("ngày sinh"))
    sex = models.CharField(_("giới tính"), max_length=8, choices=Sex.choices)
    id_type = models.CharField(_("loại giấy tờ"), max_length=10, choices=IdType.choices)
    id_number = models.CharField(_("số giấy tờ"), max_length=20, blank=True, db_index=True)
    guardian_name = models.CharField(_("họ tên người giám hộ"), max_length=100, blank=True)
    guardian_id_number = models.CharField(_("số giấy tờ người giám hộ"), max_length=20, blank=True)
    guardian_phone = models.CharField(_("điện thoại người giám hộ"), max_length=10, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=10, db_index=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    # How the person chose to be told on their phone: a channel code of
    # notifications.channels ("zalo"); blank is SMS. No choices: a channel is data.
    notify_channel = models.CharField(_("nhận thông báo qua"), max_length=16, blank=True)
    village = models.CharField(_("thôn, tổ dân phố"), max_length=100)
    house_number = models.CharField(_("số nhà, đường"), max_length=150, blank=True)
    workplace = models.CharField(_("nơi làm việc"), max_length=200, blank=True)
    social_insurance_number = models.CharField(_("mã số BHXH"), max_length=10, blank=True)

    # Test
    test_type = models.CharField(_("loại xét nghiệm"), max_length=16, choices=TestType.choices)
    test_place = models.CharField(_("nơi xét nghiệm"), max_length=200, blank=True)
    positive_test_date = models.DateField(_("ngày xét nghiệm dương tính"))
    test_photo = models.ForeignKey(
        "uploads.Upload",
        verbose_name=_("ảnh kết quả xét nghiệm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    id_photo = models.ForeignKey(
        "uploads.Upload",
        verbose_name=_("ảnh giấy tờ tùy thân"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # Health
    vaccine_doses = models.PositiveSmallIntegerField(
        _("số mũi vắc xin đã tiêm"), validators=[MaxValueValidator(6)]
    )
    last_dose_date = models.DateField(_("ngày tiêm mũi gần nhất"), null=True, blank=True)
    symptoms = models.JSONField(_("triệu chứng"), default=list, blank=True)
    symptom_onset_date = models.DateField(_("ngày bắt đầu có triệu chứng"), null=True, blank=True)
    spo2 = models.PositiveSmallIntegerField(
        _("SpO2 (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(100)],
    )
    breathing_rate = models.PositiveSmallIntegerField(
        _("nhịp thở (lần/phút)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
    )
    temperature = models.DecimalField(
        _("nhiệt độ (°C)"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(34), MaxValueValidator(43)],
    )
    comorbidities = models.JSONField(_("bệnh nền"), default=list, blank=True)
    pregnant = models.BooleanField(_("đang mang thai"), default=False)
    household_size = models.PositiveSmallIntegerField(
        _("số người trong hộ"), null=True, blank=True, validators=[MaxValueValidator(99)]
    )
    # Members of a household declared in one submission of the public form share its key
    # (cases.services.declaration.household_declare); the inbox groups them by it. Null for
    # a person declared alone.
    household_key = models.UUIDField(
        _("khai báo cùng hộ"), null=True, blank=True, editable=False, db_index=True
    )

    # Derived from the rules at declaration (and recomputed by corrections)
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")
    isolation_end = models.DateField(_("ngày kết thúc cách ly (nếu âm tính)"))
    extended_isolation_end = models.DateField(_("ngày kết thúc cách ly (nếu còn dương tính)"))
    risk_flags = models.JSONField(_("yếu tố nguy cơ"), default=list, blank=True)
    has_danger_signs = models.BooleanField(_("có dấu hiệu nguy hiểm"), default=False)
    high_risk = models.BooleanField(_("nguy cơ cao"), default=False)

    # Decisions of the commune
    rejection_reason = models.CharField(
        _("lý do từ chối tiếp nhận"), max_length=24, choices=RejectReason.choices, blank=True
    )
    rejection_note = models.TextField(_("giải thích"), blank=True)

    consent_at = models.DateTimeField(_("đồng ý xử lý dữ liệu lúc"))
    submitted_at = models.DateTimeField(_("khai báo lúc"), db_index=True)
    accepted_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # What an official saw: bumped by every save of the case (a transition, a correction),
    # which its writers make under the row lock (cases.lifecycle.lock_case). An action or a
    # correction carries the version it was decided on and is refused when it is not the
    # current one (cases.lifecycle.CaseChanged); the API sends it as the ETag.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Set when the retention period ended and the personal data was removed.
    personal_data_purged_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ người mắc COVID-19")
        verbose_name_plural = _("hồ sơ người mắc COVID-19")
        indexes = [
            # Lists are read in (submitted_at, id) order, one status at a time, per unit.
            models.Index(
                fields=["commune", "status", "submitted_at", "id"], name="case_commune_status_seek"
            ),
            models.Index(
                fields=["district", "status", "submitted_at", "id"],
                name="case_district_status_seek",
            ),
            models.Index(
                fields=["province", "status", "submitted_at", "id"],
                name="case_province_status_seek",
            ),
            models.Index(fields=["id_number", "status"]),
            models.Index(fields=["name_key", "date_of_birth"]),
            # Keyset pagination of a unit's case lists on (submitted_at, id), any status.
            models.Index(fields=["commune", "submitted_at", "id"], name="case_commune_submitted"),
            models.Index(fields=["district", "submitted_at", "id"], name="case_district_submitted"),
            models.Index(fields=["province", "submitted_at", "id"], name="case_province_submitted"),
            # The danger tab, per unit and status in (submitted_at, id) order: only the few
            # cases with danger signs, where the status indexes would walk every open case.
            *(
                models.Index(
                    fields=[unit, "status", "submitted_at", "id"],
                    condition=models.Q(has_danger_signs=True),
                    name=f"case_{unit}_danger_seek",
                )
                for unit in ("commune", "district", "province")
            ),
            # Cases still isolating past their longest isolation (the overdue tab; the
            # dashboards' cases that take no daily report any more): few among many.
            # Covering on PostgreSQL (INCLUDE; SQLite has none): counted per unit without
            # reading the table.
            models.Index(
                fields=["status", "extended_isolation_end"],
                include=["province", "district", "commune"],
                name="case_status_isolation_end",
            ),
        ]
        constraints = [
            # One person, one open case: a second declaration is linked, never duplicated,
            # even when two arrive at the same instant.
            models.UniqueConstraint(
                fields=["id_number"],
                condition=models.Q(status__in=OPEN_STATUSES) & ~models.Q(id_number=""),
                name="one_open_case_per_id_number",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            self.version = (self.version or 0) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def next_status(self, action: str) -> str | None:
        """The status `action` leads to from this case's status (cases.choices.TRANSITIONS),
        or None when the lifecycle does not allow it."""
        return TRANSITIONS.get(self.status, {}).get(action)

    def allowed_actions(self, today: date | None = None) -> set[str]:
        """The official actions (cases.choices.Action values) this case offers on `today`
        (a local date; by default today in Asia/Ho_Chi_Minh).

        An action is offered when the lifecycle allows it from the case's status, with one
        rule of dates: an isolating case without a recovery declaration is confirmed
        recovered only once its longest isolation period is over (the rule set of the
        case, after Decision 587/QĐ-BYT of 2022). Open cases may be corrected.
        """
        today = today or timezone.localdate()
        actions = set(TRANSITIONS.get(self.status, {})) & OFFICIAL_ACTIONS
        if self.status == Status.ACCEPTED and today < self.extended_isolation_end:
            actions.discard(Action.CONFIRM_RECOVERY)
        if self.is_open:
            actions.add(Action.CORRECT)
        return actions


class CaseEvent(models.Model):
    """One change of a case: who (an official, or the citizen when `actor` is empty), when, why.

    Two texts, kept apart (issue 14 item 7): `reason` is the internal note, read by staff
    only (the case page, transfers out); `message` is what the citizen reads on the status
    page, and only when `public` is true. Nothing typed as an internal note reaches the
    citizen: the public timeline (cases.selectors.public_timeline) shows `message` alone."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    kind = models.CharField(_("sự kiện"), max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("người thực hiện"), max_length=150)
    from_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    reason = models.TextField(_("ghi chú nội bộ"), blank=True)
    message = models.TextField(_("lời nhắn gửi người dân"), blank=True)
    # The line (its kind, time and `message`) is on the citizen's status page when true.
    public = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("lịch sử hồ sơ")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"]), models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"


class SubmissionReceipt(models.Model):
    """The answer given to one submitted form, so that a resubmission gets the same answer."""

    class Kind(models.TextChoices):
        CREATED = "created"
        LINKED = "linked"
        RECOVERY = "recovery"

    key = models.UUIDField(unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.key} -> {self.case_id}"


class Intake(models.Model):
    """A citizen's submission from the public form ("Gửi"), kept the moment it is sent and
    turned into cases by the worker (cases.intake.intake_process) within seconds.

    Sending writes this one row (and its task) instead of the case, its first event, its
    receipt, the photos' claims and the SMS, which the worker writes exactly once per `key`
    (issue 15: intake near the cost of a bare insert). `members` holds what was declared,
    JSON-safe ([{"commune_id": int, "values": {...}, "photos": {"test_photo": upload id or
    None, "id_photo": ...}}]), and is emptied once the cases are written; `results` then
    names them ([{"case_id": int, "kind": "created" | "linked"}]).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("đang ghi nhận")
        DONE = "done", _("đã ghi nhận")
        FAILED = "failed", _("không ghi nhận được")

    # The submission key of the form (public.session): the same form twice is one intake.
    key = models.UUIDField(primary_key=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    members = models.JSONField(default=list)
    consent_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    results = models.JSONField(default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("khai báo đang ghi nhận")
        verbose_name_plural = _("khai báo đang ghi nhận")
        indexes = [
            # The worker's and the maintenance run's look for the pending ones.
            models.Index(
                fields=["created_at"],
                condition=models.Q(state="pending"),
                name="cases_intake_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.state}"


class RecoveryDeclaration(models.Model):
    """A citizen's declaration of a negative test at the end of isolation."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ xác nhận")
        CONFIRMED = "confirmed", _("Đã xác nhận")
        REFUSED = "refused", _("Chưa xác nhận")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recovery_declarations")
    negative_test_date = models.DateField(_("ngày xét nghiệm âm tính"))
    test_type = models.CharField(_("loại xét nghiệm"), max_length=16, choices=TestType.choices)
    tested_by = models.CharField(
        _("người thực hiện xét nghiệm"), max_length=20, choices=TestedBy.choices
    )
    result_photo = models.ForeignKey(
        "uploads.Upload",
        verbose_name=_("ảnh kết quả âm tính"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    remaining_symptoms = models.JSONField(_("triệu chứng còn lại"), default=list, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(_("lý do chưa xác nhận"), blank=True)

    class Meta:
        verbose_name = _("khai báo khỏi bệnh")
        verbose_name_plural = _("khai báo khỏi bệnh")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.negative_test_date}"


class MonitoringLink(models.Model):
    """The personal addresses of a case, sent by SMS and email: its daily self-monitoring
    page and its status page (cases.monitoring).

    An address carries `key` (random, unique, looked up) and a signature of it keyed with
    SECRET_KEY and salted per page: a copy of this table alone opens no page. The daily
    page opens while the case is isolating, the status page while it is open
    (cases.monitoring.link_case).
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="monitoring_link")
    key = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The local date the link was last sent: the morning message goes once a day.
    last_sent_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.case_id} {self.last_sent_on}"


class DailyReport(models.Model):
    """One self-monitoring report of an isolating person; several may come in one day.

    `danger_signs` lists why the report escalated (cases.rules.danger_signs: symptom codes,
    "low_spo2", "fast_breathing"), empty when it did not.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="daily_reports")
    # Local date (Asia/Ho_Chi_Minh) of the report.
    reported_on = models.DateField(_("ngày báo cáo"))
    feeling_fine = models.BooleanField(_("khỏe, không có dấu hiệu nguy hiểm"), default=False)
    symptoms = models.JSONField(_("triệu chứng"), default=list, blank=True)
    temperature = models.DecimalField(
        _("nhiệt độ (°C)"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(34), MaxValueValidator(43)],
    )
    breathing_rate = models.PositiveSmallIntegerField(
        _("nhịp thở (lần/phút)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
    )
    spo2 = models.PositiveSmallIntegerField(
        _("SpO2 (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(100)],
    )
    danger_signs = models.JSONField(_("dấu hiệu nguy hiểm"), default=list, blank=True)
    # Whether `danger_signs` is not empty: counted per day on the dashboards.
    escalated = models.BooleanField(_("báo động"), default=False)
    created_at = models.DateTimeField(_("thời điểm báo cáo"), default=timezone.now)

    class Meta:
        verbose_name = _("báo cáo sức khỏe hằng ngày")
        verbose_name_plural = _("báo cáo sức khỏe hằng ngày")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["case", "reported_on"]),
            models.Index(fields=["reported_on", "escalated"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.reported_on}"
