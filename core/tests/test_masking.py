"""One masking policy: a phone, an ID number or a name looks the same wherever it is shown."""

import unicodedata

import pytest
from django.template import Context, Template

from core.masking import mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("0912345678", "091****678"),
        ("0212345678", "021****678"),
        ("123456789", "123***789"),
    ],
)
def test_phones_keep_the_first_three_and_last_three_digits(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("008190001256", "0081******56"),  # CCCD
        ("012345678", "0123***78"),  # CMND
    ],
)
def test_id_numbers_keep_the_first_four_and_last_two_characters(number, masked):
    assert mask_id_number(number) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Nguyễn Thị Hoa", "Nguyễn T** H**"),
        ("Nguyễn Thị Hồng Nhung", "Nguyễn T** H*** N****"),
        ("  Lò   Văn  Pó ", "Lò V** P*"),
        ("Hoa", "H**"),
        ("", ""),
    ],
)
def test_names_are_masked_after_the_family_name(name, masked):
    assert mask_name(name) == masked


def test_decomposed_letters_count_as_one():
    assert mask_name("Nguyê\u0303n Thi\u0323") == "Nguyễn T**"


def test_names_typed_in_nfd_come_out_in_nfc():
    typed = unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung")
    masked = mask_name(typed)
    assert masked == "Nguyễn T** H*** N****"
    assert unicodedata.is_normalized("NFC", masked)


@pytest.mark.parametrize("mask", [mask_phone, mask_id_number, mask_name])
@pytest.mark.parametrize("empty", ["", None, "   "])
def test_empty_values_stay_empty(mask, empty):
    assert mask(empty) == ""


@pytest.mark.parametrize("mask", [mask_phone, mask_id_number])
@pytest.mark.parametrize("short", ["1", "12", "123", "123456", "12345678", "C1234567"])
def test_short_numbers_are_starred_whole(mask, short):
    assert mask(short) == "*" * len(short)


@pytest.mark.parametrize(
    ("name", "masked"),
    [("A", "*"), ("Lò A", "Lò *"), ("Nguyễn Văn A", "Nguyễn V** *"), ("Lò", "L*")],
)
def test_short_names_are_never_shown_whole(name, masked):
    assert mask_name(name) == masked


def test_every_masked_value_hides_something():
    for value in ["0912345678", "008190001256", "012345678", "C1234567", "12", "Lò A", "A"]:
        for mask in (mask_phone, mask_id_number, mask_name):
            assert mask(value) != value


def test_templates_show_the_same_masks_through_the_filters():
    template = Template(
        "{% load masking %}{{ phone|mask_phone }} {{ number|mask_id_number }} "
        "{{ name|mask_name }} [{{ missing|mask_phone }}]"
    )
    html = template.render(
        Context({"phone": "0912345678", "number": "008190001256", "name": "Lê Thị <Mai>"})
    )
    assert html == "091****678 0081******56 Lê T** &lt;**** []"
