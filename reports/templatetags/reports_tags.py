from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def wait(value) -> str:
    """A waiting time in words: `2 ngày 3 giờ`, `5 giờ 10 phút`, `12 phút`.

    Takes a duration, a number of hours, or the moment the wait began.
    """
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        value = timezone.now() - value
    if not isinstance(value, timedelta):
        value = timedelta(hours=float(value))
    minutes = max(0, int(value.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(d)s ngày %(h)s giờ") % {"d": days, "h": hours}
    if hours:
        return _("%(h)s giờ %(m)s phút") % {"h": hours, "m": minutes}
    return _("%(m)s phút") % {"m": minutes}


@register.filter
def hours(value) -> str:
    """Hours with one decimal, Vietnamese style: `5,2`."""
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",")


@register.filter
def number(value) -> str:
    """An integer with dots between thousands: `12.954`."""
    if value is None or value == "":
        return "—"
    return f"{int(value):,}".replace(",", ".")
