"""Risk flags as tags, one rule for every page that lists cases: the back office's inbox
and case page, the documents a leader is about to sign. `{% load case_flags %}`."""

from django import template

from cases.choices import RiskFlag

register = template.Library()

DANGER_FLAGS = {RiskFlag.DANGER, RiskFlag.LOW_SPO2, RiskFlag.FAST_BREATHING}
INFO_FLAGS = {RiskFlag.UNVACCINATED}


@register.inclusion_tag("backoffice/_risk_tags.html")
def risk_tags(flags: list[str]):
    """Risk flags as tags, danger signs first and red."""
    tags = []
    for code in flags or []:
        try:
            label = RiskFlag(code).label
        except ValueError:
            label = code
        css = "danger" if code in DANGER_FLAGS else "info" if code in INFO_FLAGS else "warning"
        tags.append({"label": label, "css": css, "order": 0 if css == "danger" else 1})
    tags.sort(key=lambda t: t["order"])
    return {"tags": tags}
