"""The case form reads a temperature as Vietnamese people type it."""

from decimal import Decimal

from cases.forms import CaseFieldsForm


def test_the_case_form_reads_a_temperature_typed_with_a_comma():
    form = CaseFieldsForm(data={"temperature": "38,2"})
    form.is_valid()
    assert "temperature" not in form.errors
    assert form.cleaned_data["temperature"] == Decimal("38.2")
