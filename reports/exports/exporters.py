"""What each export contains: columns with Vietnamese headers and a generator of rows.

One base (after pretix's ListExporter): `columns`, `count()` for progress, `rows()`; the
xlsx writer and the job runner do the rest. Every exporter is built for one unit, inside
which every row must lie.
"""

import json
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import action_label
from cases.choices import AWAITING_REVIEW, ISOLATING, Outcome, RiskFlag, Sex, Status
from cases.models import Case
from core.masking import mask_id_number, mask_phone
from reports.audit import audit_entries
from reports.exports.xlsx import Column
from reports.models import CommuneDay, CommuneStatus, ExportJob
from reports.service_levels import bucket_hours, service_levels
from units.models import Unit
from units.scope import scope_q

CASE_STATUS_FILTERS = {
    "all": (gettext_lazy("Tất cả"), Q()),
    "open": (gettext_lazy("Đang mở"), Q(status__in=[*AWAITING_REVIEW, *ISOLATING])),
    "awaiting": (gettext_lazy("Chờ tiếp nhận"), Q(status__in=list(AWAITING_REVIEW))),
    "isolating": (gettext_lazy("Đang cách ly"), Q(status__in=list(ISOLATING))),
    "recovered": (gettext_lazy("Đã khỏi bệnh"), Q(status=Status.RECOVERED)),
    "closed": (gettext_lazy("Chuyển viện, tử vong, chuyển đi"), Q(status=Status.CLOSED)),
    "rejected": (gettext_lazy("Từ chối tiếp nhận"), Q(status=Status.REJECTED)),
}


def _local_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=timezone.get_current_timezone())


class Exporter:
    title = ""
    columns: list[Column] = []
    # Built from the summary tables, which are brought up to date first.
    uses_summaries = False

    def __init__(self, *, unit: Unit, params: dict):
        self.unit = unit
        self.params = params

    def count(self) -> int:
        raise NotImplementedError

    def rows(self):
        raise NotImplementedError

    def download_name(self) -> str:
        return f"{self.slug}-{self.unit.code}-{timezone.localdate():%Y%m%d}.xlsx"


class CaseListExporter(Exporter):
    slug = "danh-sach-ho-so"
    title = "Danh sách hồ sơ"
    columns = [
        Column("Mã hồ sơ", width=16),
        Column("Họ và tên", width=24),
        Column("Ngày sinh", "date", 12),
        Column("Giới tính", width=8),
        Column("Số giấy tờ (che)", width=16),
        Column("Điện thoại (che)", width=13),
        Column("Huyện", width=20),
        Column("Xã, phường", width=20),
        Column("Thôn, tổ dân phố", width=18),
        Column("Ngày XN dương tính", "date", 12),
        Column("Khai báo lúc", "datetime", 16),
        Column("Tiếp nhận lúc", "datetime", 16),
        Column("Trạng thái", width=22),
        Column("Ngày sớm nhất kết thúc cách ly", "date", 14),
        Column("Ngày kết thúc cách ly tối đa", "date", 14),
        Column("Kết thúc lúc", "datetime", 16),
        Column("Kết quả", width=16),
        Column("Dấu hiệu nguy hiểm", width=10),
        Column("Yếu tố nguy cơ", width=30),
        Column("Số mũi vắc xin", "int", 8),
    ]
    fields = (
        "tracking_code",
        "full_name",
        "date_of_birth",
        "sex",
        "id_number",
        "phone",
        "district_id",
        "commune_id",
        "village",
        "positive_test_date",
        "submitted_at",
        "accepted_at",
        "status",
        "isolation_end",
        "extended_isolation_end",
        "closed_at",
        "outcome",
        "has_danger_signs",
        "risk_flags",
        "vaccine_doses",
    )

    def queryset(self):
        p = self.params
        query = Case.objects.filter(scope_q(self.unit))
        query = query.filter(CASE_STATUS_FILTERS.get(p.get("status", "all"), ("", Q()))[1])
        if p.get("date_from"):
            query = query.filter(submitted_at__gte=_local_start(date.fromisoformat(p["date_from"])))
        if p.get("date_to"):
            end = date.fromisoformat(p["date_to"]) + timedelta(days=1)
            query = query.filter(submitted_at__lt=_local_start(end))
        if p.get("danger_only"):
            query = query.filter(has_danger_signs=True)
        return query

    def count(self) -> int:
        count = self.queryset().count()
        # `limit` is not offered to users; benchmarks use it to size an export.
        return min(count, self.params["limit"]) if self.params.get("limit") else count

    def rows(self):
        # Labels translated once, not once per row.
        statuses = {k: str(v) for k, v in Status.choices}
        outcomes = {k: str(v) for k, v in Outcome.choices}
        sexes = {k: str(v) for k, v in Sex.choices}
        flags = {k: str(v) for k, v in RiskFlag.choices}
        yes = _("Có")
        # Unit names from one small query rather than two joins on every row.
        names = dict(Unit.objects.within(self.unit).values_list("pk", "name"))
        query = self.queryset().order_by("submitted_at", "pk").values_list(*self.fields)
        if self.params.get("limit"):
            query = query[: self.params["limit"]]
        for (
            code,
            name,
            dob,
            sex,
            id_number,
            phone,
            district,
            commune,
            village,
            positive,
            submitted,
            accepted,
            status,
            isolation_end,
            extended_end,
            closed,
            outcome,
            danger,
            risk,
            doses,
        ) in query.iterator(chunk_size=2000):
            yield (
                code,
                name,
                dob,
                sexes.get(sex, sex),
                mask_id_number(id_number),
                mask_phone(phone),
                names.get(district, ""),
                names.get(commune, ""),
                village,
                positive,
                submitted,
                accepted,
                statuses.get(status, status),
                isolation_end,
                extended_end,
                closed,
                outcomes.get(outcome, outcome),
                yes if danger else "",
                ", ".join(flags.get(f, f) for f in risk or ()),
                doses,
            )


DAILY_FIELDS = (
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
)


class DailySummaryExporter(Exporter):
    """The dashboard's figures per commune for one day, as the daily report to the province."""

    slug = "bao-cao-ngay"
    title = "Báo cáo ngày"
    uses_summaries = True
    columns = [
        Column("Huyện", width=22),
        Column("Xã, phường", width=22),
        Column("Mã xã", width=8),
        Column("Khai báo mới", "int", 10),
        Column("Tiếp nhận", "int", 10),
        Column("Từ chối tiếp nhận", "int", 10),
        Column("Chuyển đến", "int", 10),
        Column("Chuyển đi", "int", 10),
        Column("Khai báo khỏi bệnh", "int", 10),
        Column("Xác nhận khỏi bệnh", "int", 10),
        Column("Chuyển viện", "int", 10),
        Column("Tử vong", "int", 10),
        Column("Chuyển khỏi tỉnh", "int", 10),
        Column("Chờ tiếp nhận cuối ngày", "int", 12),
        Column("Đang cách ly cuối ngày", "int", 12),
        Column("Lũy kế khai báo", "int", 12),
        Column("Lũy kế khỏi bệnh", "int", 12),
    ]

    @property
    def day(self) -> date:
        return date.fromisoformat(self.params["day"])

    def download_name(self) -> str:
        return f"{self.slug}-{self.unit.code}-{self.day:%Y%m%d}.xlsx"

    def communes(self):
        return (
            Unit.objects.within(self.unit)
            .filter(level=Unit.Level.COMMUNE)
            .select_related("district")
            .order_by("code")
        )

    def count(self) -> int:
        return self.communes().count() + 1

    def rows(self):
        day = self.day
        scope = scope_q(self.unit)
        flows = defaultdict(dict)
        for row in CommuneDay.objects.filter(scope, day=day).values("commune_id", *DAILY_FIELDS):
            flows[row["commune_id"]] = row
        later = {
            row["commune_id"]: row
            for row in CommuneDay.objects.filter(scope, day__gt=day)
            .values("commune_id")
            .annotate(i=Sum("isolating_delta"), a=Sum("awaiting_delta"))
        }
        cumulative = {
            row["commune_id"]: row
            for row in CommuneDay.objects.filter(scope, day__lte=day)
            .values("commune_id")
            .annotate(d=Sum("declared"), r=Sum("recovered"))
        }
        stock = defaultdict(lambda: [0, 0])
        for commune_id, status, n in CommuneStatus.objects.filter(
            scope, status__in=[*AWAITING_REVIEW, *ISOLATING]
        ).values_list("commune_id", "status", "count"):
            stock[commune_id][0 if status in AWAITING_REVIEW else 1] += n
        totals = [0] * (len(DAILY_FIELDS) + 4)
        for commune in self.communes():
            flow = flows.get(commune.pk, {})
            after = later.get(commune.pk, {})
            awaiting = stock[commune.pk][0] - (after.get("a") or 0)
            isolating = stock[commune.pk][1] - (after.get("i") or 0)
            so_far = cumulative.get(commune.pk, {})
            figures = [flow.get(f, 0) for f in DAILY_FIELDS] + [
                awaiting,
                isolating,
                so_far.get("d") or 0,
                so_far.get("r") or 0,
            ]
            totals = [a + b for a, b in zip(totals, figures, strict=True)]
            district = commune.district.name if commune.district else ""
            yield (district, commune.name, commune.code, *figures)
        yield (_("Cộng"), self.unit.name, self.unit.code, *totals)


class ServiceLevelExporter(Exporter):
    slug = "thoi-gian-xu-ly"
    title = "Thời gian xử lý"
    uses_summaries = True

    @property
    def columns(self):
        within = bucket_hours()
        return [
            Column("Xã, phường", width=24),
            Column("Mã xã", width=8),
            Column("Chậm", width=8),
            Column("Số hồ sơ đã xét", "int", 10),
            Column("Chờ xét trung bình (giờ)", "float", 12),
            Column("Chờ xét lâu nhất (giờ)", "float", 12),
            Column(f"Tỷ lệ xét trong {within} giờ (%)", "int", 12),
            Column("Đang chờ tiếp nhận", "int", 10),
            Column("Trong đó quá hạn", "int", 10),
            Column("Chờ lâu nhất từ", "datetime", 16),
            Column("Số quyết định đã ban hành", "int", 10),
            Column("Chờ quyết định trung bình (giờ)", "float", 12),
            Column("Đang chờ quyết định", "int", 10),
            Column("Trong đó quá hạn", "int", 10),
            Column("Quá ngày khỏi bệnh chưa xác nhận", "int", 12),
        ]

    def _period(self) -> tuple[date, date]:
        return date.fromisoformat(self.params["date_from"]), date.fromisoformat(
            self.params["date_to"]
        )

    def count(self) -> int:
        return Unit.objects.within(self.unit).filter(level=Unit.Level.COMMUNE).count()

    def rows(self):
        start, end = self._period()
        yes = _("Có")
        for row in service_levels(self.unit, start=start, end=end):
            r, d = row.reviews, row.decisions
            yield (
                row.commune.name,
                row.commune.code,
                yes if row.behind else "",
                r.count,
                round(r.mean_hours, 1) if r.mean_hours is not None else None,
                round(r.max_hours, 1) if r.max_hours is not None else None,
                r.within_percent,
                row.awaiting,
                row.awaiting_overdue,
                row.oldest_awaiting,
                d.count,
                round(d.mean_hours, 1) if d.mean_hours is not None else None,
                row.pending_decisions,
                row.decisions_overdue,
                row.recovery_overdue,
            )


class AuditExporter(Exporter):
    slug = "nhat-ky"
    title = "Nhật ký truy cập"
    columns = [
        Column("Thời điểm", "datetime", 17),
        Column("Tài khoản", width=18),
        Column("Địa chỉ IP", width=15),
        Column("Hành động", width=30),
        Column("Loại đối tượng", width=18),
        Column("Mã đối tượng", width=12),
        Column("Đối tượng", width=28),
        Column("Đơn vị", width=22),
        Column("Chi tiết", width=40),
        Column("Mã hành động", width=26),
    ]

    def queryset(self):
        return audit_entries(self.unit, self.params)

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        query = (
            self.queryset()
            .order_by("-at", "-pk")
            .values_list(
                "at",
                "actor_label",
                "ip_address",
                "action",
                "object_type",
                "object_id",
                "object_label",
                "unit__name",
                "detail",
            )
        )
        for values in query.iterator(chunk_size=2000):
            at, actor, ip, action, *rest, detail = values
            yield (
                at,
                actor,
                ip,
                action_label(action),
                *rest,
                json.dumps(detail, ensure_ascii=False) if detail else "",
                action,
            )


EXPORTERS: dict[str, type[Exporter]] = {
    ExportJob.Kind.CASE_LIST: CaseListExporter,
    ExportJob.Kind.DAILY_SUMMARY: DailySummaryExporter,
    ExportJob.Kind.SERVICE_LEVELS: ServiceLevelExporter,
    ExportJob.Kind.AUDIT: AuditExporter,
}
