"""The morning digest of work waiting, to the officials who must act on it (issue 13.4).

Composed here, on the floor that sees the figures, and handed to notifications to send
(notifications.services.digest_send, once per person, day and channel). Each figure comes
from its home:
- declarations waiting: reports.dashboard.dashboard_figures (Figures.awaiting);
- overdue reviews and decisions: reports.service_levels (REVIEW_OVERDUE_HOURS);
- documents waiting for signature: documents.selectors.pending_documents;
- danger-sign escalations: reports.dashboard.escalation_counts (yesterday and today);
- cases not reporting for two days: cases.selectors.cases_not_reporting(min_days=2).

Commune officers and leaders get their commune's figures; district staff get the list of
their communes that are behind (an overdue review or decision, or someone silent for two
days). Nothing is sent on a day with nothing waiting. The job runs at every maintenance
run from DIGEST_HOUR (local time); a run that finds a person's digest of the day already
in the outbox sends nothing to them, so running it twice (or at once on two machines)
sends one digest per person and day. Delivery is the outbox's, retried.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import COMMUNE_ROLES, DIGEST_ROLES, Role, User
from cases.selectors import cases_not_reporting
from documents.selectors import pending_documents
from notifications.models import Kind, Notification
from notifications.services import digest_send
from notifications.texts import sms_text
from reports.dashboard import child_units, dashboard_figures, escalation_counts
from reports.service_levels import overdue_decisions, overdue_reviews


@dataclass(frozen=True)
class Digest:
    subject: str
    body: str
    sms: str


@dataclass(frozen=True)
class CommuneWork:
    """What waits in one commune, as the digest counts it."""

    commune_name: str
    awaiting: int
    overdue_reviews: int
    to_sign: int
    overdue_decisions: int
    escalations: int
    silent_two_days: int

    @property
    def behind(self) -> bool:
        return bool(self.overdue_reviews or self.overdue_decisions or self.silent_two_days)

    @property
    def anything(self) -> bool:
        return bool(self.awaiting or self.to_sign or self.escalations or self.behind)


def _url(name: str) -> str:
    return settings.SITE_URL + reverse(name)


def commune_work(user: User, *, today) -> CommuneWork:
    """The figures of the user's commune (the user is one of its officials)."""
    commune = user.unit
    figures, _children = dashboard_figures(commune, today=today)
    escalations = sum(
        escalation_counts(commune, start=today - timedelta(days=1), end=today, key=None).values()
    )
    return CommuneWork(
        commune_name=commune.name,
        awaiting=figures.awaiting,
        overdue_reviews=overdue_reviews(commune, limit=0)[1],
        to_sign=pending_documents(user).count(),
        overdue_decisions=overdue_decisions(commune).count(),
        escalations=escalations,
        silent_two_days=len(cases_not_reporting(user, today=today, min_days=2)),
    )


def commune_digest(user: User, *, today) -> Digest | None:
    """The digest of a commune officer or leader; None when nothing waits."""
    work = commune_work(user, today=today)
    if not work.anything:
        return None
    lines = [
        _("Khai báo đang chờ duyệt: %(n)s (quá hạn: %(late)s).")
        % {"n": work.awaiting, "late": work.overdue_reviews},
        _("Quyết định, giấy xác nhận hoàn thành cách ly chờ ký ban hành: %(n)s.")
        % {"n": work.to_sign},
        _("Người mắc đang cách ly báo dấu hiệu nguy hiểm từ hôm qua: %(n)s.")
        % {"n": work.escalations},
        _("Người mắc đang cách ly không báo cáo sức khỏe hai ngày liền: %(n)s.")
        % {"n": work.silent_two_days},
    ]
    links = [
        _("Hộp khai báo: %(url)s") % {"url": _url("backoffice:inbox")},
        _("Văn bản chờ ban hành: %(url)s") % {"url": _url("documents:pending")},
        _("Người không báo cáo: %(url)s") % {"url": _url("backoffice:not_reporting")},
    ]
    day = today.strftime("%d/%m/%Y")
    subject = _("Việc cần làm ngày %(day)s: %(commune)s") % {
        "day": day,
        "commune": work.commune_name,
    }
    sms = _(
        "KB F0 %(day)s: %(a)s cho duyet (%(late)s qua han), %(s)s cho ky, %(e)s nguy hiem, "
        "%(q)s khong bao cao 2 ngay. %(url)s"
    ) % {
        "day": today.strftime("%d/%m"),
        "a": work.awaiting,
        "late": work.overdue_reviews,
        "s": work.to_sign,
        "e": work.escalations,
        "q": work.silent_two_days,
        "url": _url("backoffice:inbox"),
    }
    return Digest(subject=subject, body=_body(lines, links), sms=sms_text(sms))


def district_digest(user: User, *, today) -> Digest | None:
    """The digest of a district's staff: its communes that are behind; None when none is."""
    behind = []
    for commune in child_units(user.unit):
        overdue = overdue_reviews(commune, limit=0)[1]
        late_decisions = overdue_decisions(commune).count()
        silent = _silent_two_days(commune, today=today)
        if overdue or late_decisions or silent:
            behind.append(
                _(
                    "%(commune)s: %(r)s khai báo quá hạn duyệt, %(d)s quyết định quá hạn ban "
                    "hành, %(q)s người không báo cáo hai ngày liền."
                )
                % {"commune": commune.name, "r": overdue, "d": late_decisions, "q": silent}
            )
    if not behind:
        return None
    count = len(behind)
    subject = ngettext(
        "Ngày %(day)s: %(count)s xã đang chậm",
        "Ngày %(day)s: %(count)s xã đang chậm",
        count,
    ) % {"day": today.strftime("%d/%m/%Y"), "count": count}
    links = [_("Bảng theo dõi: %(url)s") % {"url": _url("reports:dashboard")}]
    sms = _("KB F0 %(day)s: %(count)s xa dang cham. %(url)s") % {
        "day": today.strftime("%d/%m"),
        "count": count,
        "url": _url("reports:dashboard"),
    }
    return Digest(subject=subject, body=_body(behind, links), sms=sms_text(sms))


def _silent_two_days(commune, *, today) -> int:
    # The commune's list as its own officials see it (cases.selectors.cases_not_reporting
    # scopes by the user's unit): a stand-in official of the commune, never saved.
    stand_in = User(role=Role.COMMUNE_OFFICER, unit=commune)
    return len(cases_not_reporting(stand_in, today=today, min_days=2))


def _body(lines: list[str], links: list[str]) -> str:
    footer = _("Hệ thống Khai báo F0. Thư này được gửi tự động, vui lòng không trả lời.")
    manage = _("Tắt hoặc đổi cách nhận bản tin: %(url)s") % {
        "url": _url("accounts:digest_settings")
    }
    return "\n".join([*lines, "", *links, "", manage, footer]) + "\n"


def digest_for(user: User, *, today) -> Digest | None:
    """The user's digest of `today`, by role; None for a role without one or nothing to say."""
    if user.role in COMMUNE_ROLES:
        return commune_digest(user, today=today)
    if user.role == Role.DISTRICT_STAFF:
        return district_digest(user, today=today)
    return None


def digests_send_morning(*, now: datetime | None = None) -> int:
    """Maintenance job: from DIGEST_HOUR (local time), send today's digest to every active
    commune official and district staff member who has not turned it off and has not been
    sent it today. Returns how many people were sent one now."""
    now = now or timezone.now()
    if timezone.localtime(now).time() < time(int(getattr(settings, "DIGEST_HOUR", 7))):
        return 0
    today = timezone.localdate(now)
    already = set(
        Notification.objects.filter(
            kind=Kind.DAILY_DIGEST, once_key__startswith=f"digest:{today.isoformat()}:"
        ).values_list("object_id", flat=True)
    )
    recipients = (
        User.objects.filter(
            is_active=True,
            role__in=DIGEST_ROLES,
            unit__isnull=False,
        )
        .exclude(digest_email=False, digest_sms=False)
        .select_related("unit")
        .order_by("pk")
    )
    sent = 0
    for user in recipients:
        if str(user.pk) in already:
            continue
        digest = digest_for(user, today=today)
        if digest is None:
            continue
        if digest_send(
            user=user,
            day=today,
            subject=digest.subject,
            body=digest.body,
            sms=digest.sms,
            email=user.digest_email,
            by_sms=user.digest_sms,
        ):
            sent += 1
    return sent
