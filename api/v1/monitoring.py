"""Daily self-monitoring through the API: the reports of a case (officials, scoped as the
case) and the person's own report with the personal link's token (public, as the page
/theo-doi/<token>/).

The rules stay where the page finds them: which link opens what and until when in
cases.monitoring (link_case, monitoring_open), what a report must hold and which signs
escalate in cases.services.monitoring.daily_report_submit, the checks of each measure in
public.forms.DailyReportForm, the rate limits in public.views."""

from datetime import date, datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import Field, Path, Schema
from ninja import Status as HttpStatus

from api import errors as E
from api.v1.base import AUTH, AUTHED, _client_limits, _limited, _problem_codes, api
from api.v1.schemas import _form_data
from api.v1.types import StrictBool, StrictFloat, StrictInt
from audit.services import audit_log
from cases.choices import Symptom
from cases.models import DailyReport
from cases.monitoring import link_case, monitoring_open
from cases.selectors import get_case_for_user
from cases.services import daily_report_submit
from documents.selectors import health_station
from public.forms import DailyReportForm
from public.views import MONITOR_LIMITS, MONITOR_LINK_LIMIT

# cases.monitoring.token_for: 16 URL-safe characters, a dot, 16 hex characters.
LINK_PATTERN = r"^[A-Za-z0-9_-]{1,64}\.[0-9a-f]{16}$"


class DailyReportOut(Schema):
    id: int
    reported_on: date = Field(description="local date of the report")
    created_at: datetime
    feeling_fine: bool = Field(description="the one-tap «I feel fine, no danger sign»")
    symptoms: list[str] = Field(description="cases.choices.Symptom values")
    temperature: float | None = Field(description="°C")
    breathing_rate: int | None = Field(description="breaths per minute")
    spo2: int | None = Field(description="%")
    danger_signs: list[str] = Field(
        description="why the report escalated (symptom codes, low_spo2, fast_breathing)"
    )
    escalated: bool


class DailyReportsOut(Schema):
    takes_reports: bool = Field(description="whether the case takes a report today")
    items: list[DailyReportOut] = Field(description="newest first")


def _report(report: DailyReport) -> dict:
    return {
        "id": report.pk,
        "reported_on": report.reported_on,
        "created_at": report.created_at,
        "feeling_fine": report.feeling_fine,
        "symptoms": list(report.symptoms),
        "temperature": float(report.temperature) if report.temperature is not None else None,
        "breathing_rate": report.breathing_rate,
        "spo2": report.spo2,
        "danger_signs": list(report.danger_signs),
        "escalated": report.escalated,
    }


@api.get(
    "/cases/{case_id}/daily-reports",
    auth=AUTH,
    response={200: DailyReportsOut, **_problem_codes(*AUTHED)},
    tags=["monitoring"],
    summary="The daily self-monitoring reports of a case",
)
def case_daily_reports(request, case_id: int):
    """Health data: audited as `case.view` (part `daily_reports`), as reading the case."""
    case = get_case_for_user(request.auth, case_id)
    audit_log(
        action="case.view",
        request=request,
        actor=request.auth,
        obj=case,
        unit=case.commune,
        detail={"part": "daily_reports"},
    )
    reports = case.daily_reports.order_by("-created_at", "-pk")
    return {"takes_reports": monitoring_open(case), "items": [_report(r) for r in reports]}


class DailyReportIn(Schema):
    """Either `feeling_fine` alone, or at least one symptom or measure."""

    feeling_fine: StrictBool = False
    symptoms: list[Symptom] = Field([], max_length=len(Symptom.values))
    temperature: StrictFloat | None = Field(None, ge=34, le=43)
    breathing_rate: StrictInt | None = Field(None, ge=5, le=120)
    spo2: StrictInt | None = Field(None, ge=50, le=100)


class DailyReportedOut(Schema):
    reported_on: date
    escalated: bool = Field(description="a danger sign: the commune was alerted")
    danger_signs: list[str]
    health_station: str = Field(description="whom to call now when escalated")
    health_station_phone: str


@api.post(
    "/monitoring/{token}/reports",
    auth=None,
    response={201: DailyReportedOut, **_problem_codes(400, 404, 415, 429)},
    tags=["public"],
    summary="The isolating person's report of today, with the token of the personal link",
)
def daily_report_submit_op(
    request,
    payload: DailyReportIn,
    token: str = Path(..., pattern=LINK_PATTERN),  # noqa: B008
):
    """Rate limited per client address and per link as the page; 404 for a token that is
    not genuine or whose isolation has ended (cases.monitoring.link_case)."""
    _limited(request, _client_limits(request, MONITOR_LIMITS, {MONITOR_LINK_LIMIT: token[:64]}))
    case = link_case(token)
    if case is None:
        raise Http404
    values = {"symptoms": [], "temperature": None, "breathing_rate": None, "spo2": None}
    if not payload.feeling_fine:
        form = DailyReportForm(
            _form_data(payload.dict(exclude={"feeling_fine"}, mode="json")),
        )
        if not form.is_valid():
            raise E.from_validation(DjangoValidationError(form.errors.as_data()))
        values = {name: form.cleaned_data.get(name) for name in values}
    else:
        # The service refuses «fine» together with symptoms or measures ("mixed").
        values = payload.dict(exclude={"feeling_fine"})
    report = daily_report_submit(
        case=case, feeling_fine=payload.feeling_fine, request=request, **values
    )
    station, phone = health_station(case.commune)
    return HttpStatus(
        201,
        {
            "reported_on": report.reported_on,
            "escalated": report.escalated,
            "danger_signs": list(report.danger_signs),
            "health_station": station,
            "health_station_phone": phone,
        },
    )
