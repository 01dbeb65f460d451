"""Summary tables behind the dashboards, and the Excel export jobs.

The summaries are derived data: `reports.summaries` folds CaseEvent rows into them after a
watermark, and `manage.py refresh_summaries --rebuild` recomputes them from the events.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Review and decision waits are counted in these buckets (hours, cumulative).
WAIT_BUCKETS_HOURS = (4, 12, 24, 48)


class InUnits(models.Model):
    """A summary row placed in its commune, with the district (none in the two-level set)
    and the province copied, so that every level filters on one indexed column."""

    commune = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class SummaryState(models.Model):
    """How far the summaries have read the case events (a single row, pk 1)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    # Every CaseEvent with pk <= watermark has been folded in, except the gaps.
    watermark = models.BigIntegerField(default=0)
    # [[low, high, first_seen_iso]]: pks below the watermark not seen yet (a transaction
    # that took its pk earlier may commit later on PostgreSQL). Dropped after a while.
    gaps = models.JSONField(default=list, blank=True)
    # The figures include every change committed up to this moment.
    fresh_as_of = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    task_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("trạng thái số liệu tổng hợp")

    def __str__(self) -> str:
        return f"watermark {self.watermark}"


class CommuneDay(InUnits):
    """What happened in one commune on one local day: flows, and the net change of stocks.

    Each event counts in the commune the case belonged to when it happened: a transfer
    moves the case, not its history.
    """

    day = models.DateField()

    declared = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    transferred_in = models.PositiveIntegerField(default=0)
    transferred_out = models.PositiveIntegerField(default=0)
    recovery_requested = models.PositiveIntegerField(default=0)
    recovered = models.PositiveIntegerField(default=0)
    hospitalised = models.PositiveIntegerField(default=0)
    died = models.PositiveIntegerField(default=0)
    moved_away = models.PositiveIntegerField(default=0)
    # Net change over the day of the cases awaiting review / isolating in the commune, so
    # that the stock at the end of any past day is today's stock minus the later changes.
    awaiting_delta = models.IntegerField(default=0)
    isolating_delta = models.IntegerField(default=0)

    # Waits ended this day (declaration submitted -> accepted or rejected): count, total, longest, and how many
    # within each of WAIT_BUCKETS_HOURS.
    review_count = models.PositiveIntegerField(default=0)
    review_seconds = models.BigIntegerField(default=0)
    review_max_seconds = models.BigIntegerField(default=0)
    review_within_4h = models.PositiveIntegerField(default=0)
    review_within_12h = models.PositiveIntegerField(default=0)
    review_within_24h = models.PositiveIntegerField(default=0)
    review_within_48h = models.PositiveIntegerField(default=0)
    # Waits ended this day (accepted -> isolation decision issued): count, total, longest, and how many
    # within each of WAIT_BUCKETS_HOURS.
    decision_count = models.PositiveIntegerField(default=0)
    decision_seconds = models.BigIntegerField(default=0)
    decision_max_seconds = models.BigIntegerField(default=0)
    decision_within_4h = models.PositiveIntegerField(default=0)
    decision_within_12h = models.PositiveIntegerField(default=0)
    decision_within_24h = models.PositiveIntegerField(default=0)
    decision_within_48h = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu xã theo ngày")
        constraints = [
            models.UniqueConstraint(fields=["commune", "day"], name="commune_day_unique"),
        ]
        indexes = [
            models.Index(fields=["province", "day"]),
            models.Index(fields=["district", "day"]),
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.day}"


FLOW_FIELDS = (
    "declared",
    "accepted",
    "rejected",
    "transferred_in",
    "transferred_out",
    "recovery_requested",
    "recovered",
    "hospitalised",
    "died",
    "moved_away",
    "awaiting_delta",
    "isolating_delta",
)
WAIT_FIELDS = tuple(
    name
    for prefix in ("review", "decision")
    for name in (
        f"{prefix}_count",
        f"{prefix}_seconds",
        *(f"{prefix}_within_{h}h" for h in WAIT_BUCKETS_HOURS),
    )
)
MAX_FIELDS = ("review_max_seconds", "decision_max_seconds")
SUM_FIELDS = FLOW_FIELDS + WAIT_FIELDS


class CommuneStatus(InUnits):
    """How many cases of the commune are in each status now (closed ones by outcome)."""

    status = models.CharField(max_length=24)
    outcome = models.CharField(max_length=16, blank=True)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số hồ sơ của xã theo trạng thái")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "status", "outcome"], name="commune_status_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["province", "status"]),
            models.Index(fields=["district", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.status} {self.outcome}: {self.count}"


class PendingDecision(InUnits):
    """An accepted case still waiting for its isolation decision, since its acceptance."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    since = models.DateTimeField()

    class Meta:
        verbose_name = _("hồ sơ chờ quyết định cách ly")
        indexes = [
            models.Index(fields=["commune", "since"]),
            models.Index(fields=["district", "since"]),
            models.Index(fields=["province", "since"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} since {timezone.localtime(self.since):%Y-%m-%d %H:%M}"


class IsolatingCase(InUnits):
    """A case isolating now, in which commune, with its earliest recovery date.

    Holds each case's current state (not changes), so folding an event in twice, or after
    a backfill from the cases themselves, leaves it the same; CommuneIsolationEnd counts
    its rows.
    """

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    isolation_end = models.DateField()

    class Meta:
        verbose_name = _("hồ sơ đang cách ly")
        indexes = [
            models.Index(fields=["commune", "isolation_end"]),
            models.Index(fields=["district", "isolation_end"]),
            models.Index(fields=["province", "isolation_end"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} until {self.isolation_end}"


class CommuneIsolationEnd(InUnits):
    """How many cases of a commune are isolating with a given earliest recovery date: the
    eligible-for-recovery count of any day is a sum over a few dozen dates per commune."""

    isolation_end = models.DateField()
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số hồ sơ cách ly theo ngày kết thúc sớm nhất")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "isolation_end"], name="commune_isolation_end_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["province", "isolation_end"]),
            models.Index(fields=["district", "isolation_end"]),
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.isolation_end}: {self.count}"


class ExportJob(models.Model):
    """One Excel file asked for by an official: built in the background, kept privately,
    downloadable by its creator only."""

    class Kind(models.TextChoices):
        CASE_LIST = "case_list", _("Danh sách hồ sơ")
        DAILY_SUMMARY = "daily_summary", _("Báo cáo tổng hợp ngày theo đơn vị")
        SERVICE_LEVELS = "service_levels", _("Thời gian xử lý theo xã")
        AUDIT = "audit", _("Nhật ký truy cập")

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo tệp")
        DONE = "done", _("Sẵn sàng tải về")
        FAILED = "failed", _("Lỗi")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    sheets = models.PositiveSmallIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    download_name = models.CharField(max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The process building the file ("host:pid:nonce", core.leases) and until when; renewed
    # with each block of rows. A build whose process died is queued again by
    # reports.exports.jobs.exports_resume once the lease has ended.
    lease_holder = models.CharField(max_length=100, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    resumed_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("tệp xuất Excel")
        verbose_name_plural = _("tệp xuất Excel")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_by", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(100 * self.rows_done / self.rows_total))
