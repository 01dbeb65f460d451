"""Daily self-monitoring of isolating people: the link, the report, its escalation, the call.

The Ministry of Health's home-care guidance asks a person isolating at home to watch
temperature, breathing rate, SpO2 and danger signs every day and to report danger signs at
once; the isolation decision says so in its Điều 2. Which signs escalate is the case's
rule set's (cases.rules.danger_signs), not this module's.
"""

from datetime import datetime, time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import COMMUNE_ROLES, User
from cases.choices import ISOLATING, EventKind, RiskFlag, Symptom
from cases.lifecycle import case_audit, case_event_record, check_may_act, lock_case
from cases.models import Case, DailyReport, MonitoringLink
from cases.monitoring import link_for, link_url, monitoring_open
from cases.rules import age_on, danger_signs
from cases.services.notice import case_notify
from notifications.models import Kind
from notifications.services import staff_alert

# The morning message goes from this local hour on (maintenance runs every few minutes).
MORNING_HOUR = 7


def _summary(report: DailyReport) -> str:
    """The report in words for the timeline, e.g. "SpO2 94%; Khó thở, thở gấp"."""
    if report.feeling_fine:
        return _("Khỏe, không có dấu hiệu nguy hiểm")
    parts = []
    if report.temperature is not None:
        parts.append(_("Nhiệt độ %(t)s °C") % {"t": str(report.temperature).replace(".", ",")})
    if report.breathing_rate is not None:
        parts.append(_("Nhịp thở %(n)s lần/phút") % {"n": report.breathing_rate})
    if report.spo2 is not None:
        parts.append(_("SpO2 %(n)s%%") % {"n": report.spo2})
    parts.extend(str(Symptom(s).label) for s in report.symptoms)
    return "; ".join(parts)


def _commune_officials(case: Case):
    return User.objects.filter(unit_id=case.commune_id, role__in=COMMUNE_ROLES, is_active=True)


@transaction.atomic
def daily_report_submit(
    *,
    case: Case,
    feeling_fine: bool,
    symptoms: list[str] | tuple[str, ...] = (),
    temperature: Decimal | None = None,
    breathing_rate: int | None = None,
    spo2: int | None = None,
    request=None,
) -> DailyReport:
    """Record the person's report of today (local date) on the case's timeline.

    `feeling_fine` is the one-tap "I feel fine, no danger sign" and takes nothing else;
    otherwise at least one symptom or measure is needed (temperature in °C, breathing rate
    in breaths per minute, SpO2 in %). A report with a danger sign of the case's rule set
    (cases.rules.danger_signs) flags the case at once (has_danger_signs, RiskFlag.DANGER:
    the commune's "Dấu hiệu nguy hiểm" list) and alerts the commune's officers and leaders
    by email and SMS. Raises ValidationError when the case no longer takes reports
    (cases.monitoring.monitoring_open) or the report is empty or mixed.
    """
    case = lock_case(case)
    now = timezone.now()
    today = timezone.localdate(now)
    if not monitoring_open(case, today):
        raise ValidationError(
            _("Thời gian cách ly của hồ sơ này đã kết thúc; không cần báo cáo nữa."),
            code="closed",
        )
    symptoms = [str(s) for s in symptoms]
    if unknown := set(symptoms) - set(Symptom.values):
        raise ValidationError({"symptoms": _("Triệu chứng không hợp lệ: %s") % ", ".join(unknown)})
    measured = temperature is not None or breathing_rate is not None or spo2 is not None
    if feeling_fine and (symptoms or measured):
        raise ValidationError(
            _("Bạn đã chọn «Tôi khỏe» và cũng khai triệu chứng; vui lòng chọn một trong hai."),
            code="mixed",
        )
    if not feeling_fine and not (symptoms or measured):
        raise ValidationError(
            _(
                "Vui lòng chọn triệu chứng hoặc nhập nhiệt độ, nhịp thở, SpO2; nếu thấy khỏe, "
                "bấm «Tôi khỏe, không có dấu hiệu nguy hiểm»."
            ),
            code="empty",
        )
    signs = danger_signs(
        rule_set=case.rule_set,
        age_years=age_on(case.date_of_birth, today),
        symptoms=symptoms,
        spo2=spo2,
        breathing_rate=breathing_rate,
    )
    report = DailyReport(
        case=case,
        reported_on=today,
        feeling_fine=feeling_fine,
        symptoms=symptoms,
        temperature=temperature,
        breathing_rate=breathing_rate,
        spo2=spo2,
        danger_signs=signs,
        escalated=bool(signs),
        created_at=now,
    )
    report.full_clean()
    report.save()
    case_event_record(
        case,
        kind=EventKind.DANGER_REPORTED if signs else EventKind.DAILY_REPORT,
        by=None,
        from_status=case.status,
        message=_summary(report),
        data={"daily_report_id": report.pk, "danger_signs": signs},
    )
    if signs:
        flags = [f for f in case.risk_flags or [] if f != RiskFlag.DANGER]
        new = [str(RiskFlag.DANGER)] + [
            str(s)
            for s in (RiskFlag.LOW_SPO2, RiskFlag.FAST_BREATHING)
            if s in signs and s not in flags
        ]
        case.risk_flags = new + flags
        case.has_danger_signs = True
        case.save(update_fields=["risk_flags", "has_danger_signs", "updated_at"])
        staff_alert(
            kind=Kind.DANGER_ALERT,
            users=_commune_officials(case),
            ref=case,
            tracking_code=case.tracking_code,
            commune=case.commune.name,
            case_url=settings.SITE_URL + reverse("backoffice:case", args=[case.pk]),
        )
    case_audit("daily_report", case, None, request, {"danger_signs": signs})
    return report


def monitoring_link_send(case: Case, *, today=None) -> bool:
    """Send the case's daily-report link by SMS and email, at most once per local day
    (MonitoringLink.last_sent_on, claimed by one conditional update so that two runs at
    once send one message). Returns whether it was sent now."""
    today = today or timezone.localdate()
    link = link_for(case)
    claimed = (
        MonitoringLink.objects.filter(pk=link.pk)
        .exclude(last_sent_on__gte=today)
        .update(last_sent_on=today)
    )
    if not claimed:
        return False
    case_notify(case, Kind.DAILY_REPORT_LINK, monitor_url=link_url(link))
    return True


def monitoring_after_transition(*, case: Case, event, by) -> None:
    """After-transition hook: a case that starts isolating gets its link at once."""
    if event.kind == EventKind.ACCEPTED and monitoring_open(case):
        monitoring_link_send(case)


def monitoring_links_send_morning(*, now: datetime | None = None) -> int:
    """Maintenance job: from MORNING_HOUR (local time), send today's link to every case
    that takes reports today, has not reported yet today and was not sent it today.
    Returns how many were sent."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.time() < time(MORNING_HOUR):
        return 0
    today = timezone.localdate(now)
    due = (
        Case.objects.filter(status__in=ISOLATING, extended_isolation_end__gte=today)
        .exclude(monitoring_link__last_sent_on__gte=today)
        .exclude(daily_reports__reported_on=today)
        .select_related("commune")
        .order_by("pk")
    )
    sent = 0
    for case in due.iterator(chunk_size=500):
        with transaction.atomic():
            sent += monitoring_link_send(case, today=today)
    return sent


@transaction.atomic
def case_call_note(*, case: Case, by: User, note: str = "", request=None) -> Case:
    """An official of the case's commune called the person ("called, noted"): a line on
    the timeline (not shown to the citizen) and the audit entry `case.called`.
    Raises PermissionDenied for anyone else (User.may_act_for)."""
    case = lock_case(case)
    check_may_act(by, case)
    case_event_record(
        case,
        kind=EventKind.CALLED,
        by=by,
        from_status=case.status,
        reason=note.strip(),
        public=False,
    )
    case_audit("called", case, by, request)
    return case
