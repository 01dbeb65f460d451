from django import template

from audit.actions import action_label as _action_label

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    """An audit action code in Vietnamese words (audit.actions)."""
    return _action_label(code)
