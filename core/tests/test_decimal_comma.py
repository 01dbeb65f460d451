"""Decimals as Vietnamese people type them: a comma is the decimal separator."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.forms import DecimalCommaField


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("38,2", Decimal("38.2")),
        ("38.2", Decimal("38.2")),
        (" 37 ", Decimal("37")),
        ("３８,５", Decimal("38.5")),
    ],
)
def test_a_comma_or_a_point_is_the_decimal_separator(typed, value):
    field = DecimalCommaField(max_digits=3, decimal_places=1, required=False)
    assert field.clean(typed) == value


def test_382_is_refused_and_the_box_opens_the_decimal_keypad():
    field = DecimalCommaField(max_digits=3, decimal_places=1, min_value=34, max_value=43)
    with pytest.raises(ValidationError):
        field.clean("382")
    attrs = field.widget_attrs(field.widget)
    assert attrs["inputmode"] == "decimal" and "step" not in attrs
    assert field.widget.input_type == "text"
