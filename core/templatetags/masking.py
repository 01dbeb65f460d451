"""Masked personal data in templates: `{% load masking %}`, then `{{ case.phone|mask_phone }}`.

The filters are the functions of core.masking, so a template shows the same masked value as
an export or any other place.
"""

from django import template

from core import masking

register = template.Library()

register.filter("mask_phone", masking.mask_phone)
register.filter("mask_id_number", masking.mask_id_number)
register.filter("mask_name", masking.mask_name)
