"""The personal link of daily self-monitoring: its token, when it opens, its address.

A token is "<key>.<signature>": `key` is random and stored (MonitoringLink.key), the
signature is an HMAC of it keyed with SECRET_KEY and is not stored, so that a copy of the
table opens no page and a token altered in either part opens nothing. A link opens its
case's page only while the person is isolating: status in cases.choices.ISOLATING and
today (local date) no later than the case's `extended_isolation_end`.
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

_SALT = "cases.MonitoringLink"


def _signature(key: str) -> str:
    return salted_hmac(_SALT, key, algorithm="sha256").hexdigest()[:16]


def token_for(link: MonitoringLink) -> str:
    """The token of the link's address: 16 random characters, a dot, 16 of signature."""
    return f"{link.key}.{_signature(link.key)}"


def monitoring_open(case: Case, today: date | None = None) -> bool:
    """Whether the case's daily page takes reports on `today` (local date by default)."""
    today = today or timezone.localdate()
    # The same rule as expected_q, for one case in hand.
    return case.status in ISOLATING and today <= case.extended_isolation_end


def link_case(token: str, today: date | None = None) -> Case | None:
    """The case whose link `token` is, if the token is genuine and the case is isolating
    on `today`; None otherwise (an unknown, altered or expired token alike)."""
    key, _dot, signature = (token or "").partition(".")
    if not key or not signature or not constant_time_compare(signature, _signature(key)):
        return None
    link = (
        MonitoringLink.objects.select_related("case", "case__commune", "case__rule_set")
        .filter(key=key)
        .first()
    )
    if link is None or not monitoring_open(link.case, today):
        return None
    return link.case


def link_for(case: Case) -> MonitoringLink:
    """The case's link, made on first use."""
    link = MonitoringLink.objects.filter(case=case).first()
    if link is None:
        link = MonitoringLink.objects.create(case=case, key=secrets.token_urlsafe(12))
    return link


def link_url(link: MonitoringLink) -> str:
    """The absolute address of the daily page (settings.SITE_URL)."""
    return settings.SITE_URL + reverse("public:daily_report", args=[token_for(link)])


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
