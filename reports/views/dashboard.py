"""Dashboards of a unit and its read-only case list, for the unit's officials."""

from datetime import timedelta

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import COMMUNE_ROLES, MONITORING_ROLES
from audit.services import audit_log
from cases.models import Case
from core.access import roles_required
from core.replica import reads_from_replica
from reports.charts import Series, day_chart, unit_bars
from reports.dashboard import dashboard_figures, day_series
from reports.exports.exporters import CASE_STATUS_FILTERS
from reports.freshness import summaries_catch_up
from reports.paging import keyset_page
from units.models import Unit
from units.scope import scope_q
from units.selectors import get_unit_within

REPORT_ROLES = (*MONITORING_ROLES, *COMMUNE_ROLES)
DAY_CHOICES = (14, 30, 60, 90)
CASES_PER_PAGE = 50

# Sortable columns of the child-unit table: key, heading, value to sort by.
COLUMNS = [
    ("name", gettext_lazy("Đơn vị"), lambda f: f.unit.code),
    ("new_today", gettext_lazy("Mới hôm nay"), lambda f: f.new_today),
    ("new_7d", gettext_lazy("Mới 7 ngày"), lambda f: f.new_7d),
    ("awaiting", gettext_lazy("Chờ tiếp nhận"), lambda f: f.awaiting),
    ("oldest", gettext_lazy("Chờ lâu nhất"), lambda f: f.oldest_wait or timedelta(0)),
    ("isolating", gettext_lazy("Đang cách ly"), lambda f: f.isolating),
    ("eligible", gettext_lazy("Đủ điều kiện khỏi, chưa xác nhận"), lambda f: f.eligible),
    ("recovered", gettext_lazy("Đã khỏi"), lambda f: f.recovered),
    ("other", gettext_lazy("Chuyển viện, tử vong, chuyển đi"), lambda f: f.other_outcomes),
    ("rejected", gettext_lazy("Từ chối tiếp nhận"), lambda f: f.rejected),
    ("reporting", gettext_lazy("Báo cáo sức khỏe hôm nay"), lambda f: f.reporting_today),
    ("not_reporting", gettext_lazy("Chưa báo cáo hôm nay"), lambda f: f.not_reporting),
    ("escalations", gettext_lazy("Báo dấu hiệu nguy hiểm hôm nay"), lambda f: f.escalations_today),
]
SORT_KEYS = {key: value for key, _label, value in COLUMNS}


def breadcrumbs(user, unit: Unit) -> list[Unit]:
    """From the user's own unit down to `unit` (never above the user's unit)."""
    chain = []
    current = unit
    while current is not None:
        chain.insert(0, current)
        if current.pk == user.unit_id:
            break
        current = current.parent
    return chain


def case_list_url(user, commune: Unit) -> str:
    """The commune's own officials work in the back-office inbox; others get the read-only
    list of the reports."""
    if user.may_act_for(commune):
        try:
            return reverse("backoffice:inbox")
        except NoReverseMatch:
            return "/office/"
    return reverse("reports:case_list", args=[commune.pk])


def _unit(request, unit_id):
    if unit_id is None:
        return request.user.unit
    return get_unit_within(request.user.unit, unit_id)


def _sorted(children, request):
    key = request.GET.get("sort", "name")
    if key not in SORT_KEYS:
        key = "name"
    descending = request.GET.get("dir", "desc" if key != "name" else "asc") == "desc"
    rows = sorted(children, key=SORT_KEYS[key], reverse=descending)
    headers = []
    for column, label, _value in COLUMNS:
        active = column == key
        next_dir = "asc" if active and descending else "desc"
        if column == "name" and not active:
            next_dir = "asc"
        headers.append(
            {
                "key": column,
                "label": label,
                "aria_sort": ("descending" if descending else "ascending") if active else "",
                "query": f"?sort={column}&dir={next_dir}",
            }
        )
    return rows, headers


@roles_required(*REPORT_ROLES)
@reads_from_replica
def dashboard(request, unit_id=None):
    """The figures of a unit inside the user's unit, its child units, and charts by day."""
    unit = _unit(request, unit_id)
    state = summaries_catch_up()
    total, children = dashboard_figures(unit)
    rows, headers = _sorted(children, request)
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        days = 30
    days = days if days in DAY_CHOICES else 30
    series = day_series(unit, days=days)
    new = Series("new", _("Khai báo mới"), series.new)
    recovered = Series("recovered", _("Khỏi bệnh"), series.recovered)
    isolating = Series("isolating", _("Đang cách ly"), series.isolating)
    charts = {
        "flow": day_chart(
            ident="chart-flow",
            title=_("Khai báo mới và khỏi bệnh theo ngày"),
            days=series.days,
            bars=new,
            lines=[recovered],
        ),
        "active": day_chart(
            ident="chart-active",
            title=_("Số ca đang cách ly cuối mỗi ngày"),
            days=series.days,
            bars=None,
            lines=[isolating],
        ),
    }
    if children:
        ordered = sorted(children, key=lambda f: f.unit.code)
        charts["units"] = unit_bars(
            ident="chart-units",
            title=_("Hồ sơ đang mở theo đơn vị"),
            labels=[f.unit.short_name for f in ordered],
            stacks=[
                Series("awaiting", _("Chờ tiếp nhận"), [f.awaiting for f in ordered]),
                Series("isolating", _("Đang cách ly"), [f.isolating for f in ordered]),
            ],
        )
    day_rows = list(
        zip(
            series.days,
            series.new,
            series.recovered,
            series.isolating,
            series.escalations,
            strict=True,
        )
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "unit": unit,
            "crumbs": breadcrumbs(request.user, unit),
            "total": total,
            "rows": rows,
            "headers": headers,
            "charts": charts,
            "day_rows": list(reversed(day_rows)),
            "days": days,
            "day_choices": DAY_CHOICES,
            "state": state,
            "case_list_url": case_list_url(request.user, unit)
            if unit.level == Unit.Level.COMMUNE
            else None,
            "is_commune": unit.level == Unit.Level.COMMUNE,
        },
    )


@roles_required(*REPORT_ROLES)
@reads_from_replica
def case_list(request, unit_id):
    """A read-only list of a unit's cases, newest first, with personal data masked."""
    unit = get_unit_within(request.user.unit, unit_id)
    chosen = request.GET.get("loc", "open")
    if chosen not in CASE_STATUS_FILTERS:
        chosen = "open"
    queryset = (
        Case.objects.filter(scope_q(unit), CASE_STATUS_FILTERS[chosen][1])
        .select_related("commune")
        .only(
            "tracking_code",
            "full_name",
            "date_of_birth",
            "phone",
            "village",
            "positive_test_date",
            "submitted_at",
            "status",
            "isolation_end",
            "has_danger_signs",
            "high_risk",
            "commune__name",
        )
    )
    page = keyset_page(
        queryset, field="submitted_at", cursor=request.GET.get("sau"), size=CASES_PER_PAGE
    )
    audit_log(
        action="report.case_list_viewed",
        request=request,
        unit=unit,
        detail={"filter": chosen, "rows": len(page.rows)},
    )
    return render(
        request,
        "reports/case_list.html",
        {
            "unit": unit,
            "crumbs": breadcrumbs(request.user, unit),
            "page": page,
            "filters": [(key, label) for key, (label, _q) in CASE_STATUS_FILTERS.items()],
            "chosen": chosen,
            "first_page": not request.GET.get("sau"),
        },
    )
