"""A citizen's personal links to their case: the one home of them. Two pages, one key.

- DAILY, the daily self-monitoring page: opens only while the person is isolating (status
  in cases.choices.ISOLATING and today, local date, no later than `extended_isolation_end`).
- STATUS, the status page (issue 14 item 17: a lasting way back to the case without typing
  the tracking code and ID number): opens while the case is open (Case.is_open,
  cases.choices.OPEN_STATUSES).

A token is "<key>.<signature>": `key` is random and stored (MonitoringLink.key, one per
case), the signature is an HMAC of it keyed with SECRET_KEY and salted per page, and is not
stored; so a copy of the table opens no page, a token altered in either part opens
nothing, and the daily link does not open the status page (nor the other way round).
"""

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from cases.choices import ISOLATING
from cases.models import Case, MonitoringLink

DAILY = "daily"
STATUS = "status"
# The daily salt is the one of the first links sent: those already in people's SMS still work.
_SALTS = {DAILY: "cases.MonitoringLink", STATUS: "cases.MonitoringLink.status"}
_URL_NAMES = {DAILY: "public:daily_report", STATUS: "public:status_link"}


def _signature(key: str, page: str) -> str:
    return salted_hmac(_SALTS[page], key, algorithm="sha256").hexdigest()[:16]


def token_for(link: MonitoringLink, page: str = DAILY) -> str:
    """The token of the link's address for `page` (DAILY or STATUS): 16 random characters,
    a dot, 16 of signature."""
    return f"{link.key}.{_signature(link.key, page)}"


def monitoring_open(case: Case, today: date | None = None) -> bool:
    """Whether the case's daily page takes reports on `today` (local date by default)."""
    today = today or timezone.localdate()
    # The same rule as expected_q, for one case in hand.
    return case.status in ISOLATING and today <= case.extended_isolation_end


def link_open(case: Case, page: str = DAILY, today: date | None = None) -> bool:
    """Whether the case's link to `page` opens on `today` (see the module's docstring)."""
    if page == STATUS:
        return case.is_open
    return monitoring_open(case, today)


def link_case(token: str, today: date | None = None, *, page: str = DAILY) -> Case | None:
    """The case whose link to `page` `token` is, if the token is genuine and the link opens
    on `today` (link_open); None otherwise (an unknown, altered or expired token alike)."""
    key, _dot, signature = (token or "").partition(".")
    if not key or not signature or not constant_time_compare(signature, _signature(key, page)):
        return None
    link = (
        MonitoringLink.objects.select_related("case", "case__commune", "case__rule_set")
        .filter(key=key)
        .first()
    )
    if link is None or not link_open(link.case, page, today):
        return None
    return link.case


def link_for(case: Case) -> MonitoringLink:
    """The case's link, made on first use."""
    link = MonitoringLink.objects.filter(case=case).first()
    if link is None:
        link = MonitoringLink.objects.create(case=case, key=secrets.token_urlsafe(12))
    return link


def link_url(link: MonitoringLink, page: str = DAILY) -> str:
    """The absolute address of the link's `page` (settings.SITE_URL)."""
    return settings.SITE_URL + reverse(_URL_NAMES[page], args=[token_for(link, page)])


def status_url(case: Case) -> str:
    """Where a message about the case sends its person: the personal status link while the
    case is open (made on first use), else the lookup page (tracking code and ID number),
    since an ended case's link no longer opens."""
    if link_open(case, STATUS):
        return link_url(link_for(case), STATUS)
    return settings.SITE_URL + reverse("public:status")


def expected_q(today: date, prefix: str = "") -> Q:
    """Cases that take a report on `today`, as a filter (the rule of monitoring_open);
    `prefix` reaches the case through a relation ("case__")."""
    return Q(**{f"{prefix}status__in": ISOLATING, f"{prefix}extended_isolation_end__gte": today})


def silent_days(*, today: date, last_report_on: date | None, accepted_on: date) -> int:
    """Days without a report, today included: 0 reported today, 1 reported yesterday (or
    accepted today and not reported yet), 2 or more is the "two days" of the commune's
    list. Before the first report the count starts the day before acceptance."""
    since = last_report_on or accepted_on - timedelta(days=1)
    return max((today - since).days, 0)
