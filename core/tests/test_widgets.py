"""LargeSelect writes the same HTML as Django's Select, faster."""

import pytest
from django import forms
from django.test.html import parse_html

from core.widgets import LargeSelect

GROUPED = [
    ("", "Chọn <xã>"),
    ('Huyện "Sơn Dương"', [(1, "Xã Tú Thịnh"), (2, "Xã & Phường")]),
    ("Thành phố Tuyên Quang", [(3, "Xã Tràng Đà")]),
]
FLAT = [("", "Chọn xã"), (7, "Phường Minh Xuân"), (8, "Xã <b>An Tường</b>")]


@pytest.mark.parametrize("choices", [GROUPED, FLAT])
@pytest.mark.parametrize("value", [None, "", 2, "3", 8])
def test_large_select_renders_what_djangos_select_renders(choices, value):
    attrs = {"id": "id_commune", "class": "usa-select", "required": True, "aria-invalid": "true"}
    django_html = forms.Select(choices=choices).render("commune", value, attrs)
    ours = LargeSelect(choices=choices).render("commune", value, attrs)
    assert parse_html(ours) == parse_html(django_html)
    assert "<b>" not in ours
