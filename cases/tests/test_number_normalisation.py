"""Phone and ID numbers are normalised first, then checked (issue 10)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cases.forms import CaseFieldsForm
from cases.testing import declaration_values
from cases.validators import normalize_phone, validate_cccd, validate_cmnd


@pytest.mark.parametrize(
    "typed", ["0084 912 345 688", "+84 (0) 912-345-688", "０９１２３４５６８８", "84 912 345 688"]
)
def test_a_valid_number_written_any_way_is_accepted(typed):
    assert normalize_phone(typed) == "0912345688"


@pytest.mark.parametrize("typed", ["0912 345 68x", "0084 212 345 688", "+1 912 345 688"])
def test_a_wrong_number_is_still_refused(typed):
    with pytest.raises(ValidationError):
        normalize_phone(typed)


def test_ids_with_separators_or_other_digits_are_accepted_as_ascii():
    dob = date(1990, 5, 5)
    assert validate_cccd("008 190-123.456", date_of_birth=dob, sex="female") == "008190123456"
    assert validate_cccd("٠٠٨١٩٠١٢٣٤٥٦", date_of_birth=dob, sex="female") == "008190123456"
    assert validate_cmnd("０１２３４５６７８") == "012345678"


def test_letters_posing_as_digits_are_refused():
    with pytest.raises(ValidationError):
        validate_cmnd("O12345678")  # a capital O


@pytest.mark.django_db
def test_an_officer_form_stores_ascii_digits_whatever_was_typed(units):
    values = declaration_values()
    typed = {
        **values,
        "id_number": "".join(chr(ord(c) + 0xFEE0) for c in values["id_number"]),
        "phone": "+84 (0) 912 345 688",
        "social_insurance_number": "０１２３-４５６-７８９",
    }
    form = CaseFieldsForm(typed)
    assert form.is_valid(), form.errors
    cleaned = form.cleaned_data
    assert cleaned["id_number"] == values["id_number"]
    assert (cleaned["phone"], cleaned["social_insurance_number"]) == ("0912345688", "0123456789")
