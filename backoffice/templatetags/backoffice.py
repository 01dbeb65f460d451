"""Filters of the commune back office: waiting times, ages, risk tags.

Masked personal data comes from core's `{% load masking %}`."""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.rules import age_on
from cases.templatetags import case_flags

register = template.Library()


def duration_text(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return _("dưới 1 phút")
    if minutes < 60:
        return _("%(n)s phút") % {"n": max(minutes, 0)}
    hours = minutes // 60
    if hours < 48:
        return _("%(n)s giờ") % {"n": hours}
    return _("%(n)s ngày") % {"n": hours // 24}


@register.filter
def waiting(since: datetime | None) -> str:
    """`chờ 3 giờ`: how long a declaration has waited for the commune."""
    if since is None:
        return ""
    return _("chờ %(duration)s") % {
        "duration": duration_text((timezone.now() - since).total_seconds())
    }


@register.filter
def waited_hours(since: datetime | None) -> int:
    if since is None:
        return 0
    return int((timezone.now() - since).total_seconds() // 3600)


@register.filter
def age(date_of_birth: date | None) -> int | str:
    return age_on(date_of_birth, timezone.localdate()) if date_of_birth else ""


# The rule lives with the cases (cases.templatetags.case_flags); the back office's pages
# keep loading it from here.
register.inclusion_tag("backoffice/_risk_tags.html")(case_flags.risk_tags)
