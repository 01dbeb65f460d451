from django import template

from core.session import WARN_BEFORE, session_ends_in

register = template.Library()


@register.inclusion_tag("core/_session_warning.html", takes_context=True)
def session_warning(context):
    """The hidden warning that static/js/session.js shows before the staff session ends."""
    request = context["request"]
    return {
        "ends_in": session_ends_in(request),
        "warn_before": WARN_BEFORE,
        "csrf_token": context.get("csrf_token"),
    }
