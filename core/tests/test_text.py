"""Text at the boundary (core/text.py): NFC, numbers, legacy Vietnamese encodings."""

import unicodedata

import pytest
from viparse.normalize.tcvn3 import TCVN3
from viparse.normalize.vni import VNI

from core.text import (
    LegacyText,
    ascii_digits,
    compact_number,
    has_vietnamese_diacritics,
    legacy_text,
    national_phone_digits,
    nfc,
    nfc_data,
    nfc_deep,
    vietnamese_syllable,
)

VILLAGE = "Thôn Đồng Quỹ"
VILLAGE_NFD = unicodedata.normalize("NFD", VILLAGE)


def test_a_village_typed_decomposed_becomes_the_composed_spelling():
    assert len(VILLAGE_NFD) == 17 and len(VILLAGE) == 13
    assert nfc(VILLAGE_NFD) == VILLAGE
    assert nfc_deep({"xã": [VILLAGE_NFD], "n": 1}) == {"xã": [VILLAGE], "n": 1}


def test_form_data_is_copied_only_when_something_changes():
    from django.http import QueryDict

    composed = QueryDict(mutable=True)
    composed.setlist("village", [VILLAGE])
    assert nfc_data(composed) is composed
    decomposed = QueryDict(mutable=True)
    decomposed.setlist("village", [VILLAGE_NFD])
    assert nfc_data(decomposed).getlist("village") == [VILLAGE]
    assert nfc_data({"village": VILLAGE_NFD, "n": 3}) == {"village": VILLAGE, "n": 3}


@pytest.mark.parametrize(
    "typed",
    [
        "0084 912 345 688",  # the issue's example, refused before
        "+84 912 345 688",
        "+84 (0) 912.345.688",
        "84912345688",
        "+84 0912345688",
        "(091) 234-5688",
        "0912\u2013345\u2013688",  # en dashes from a word processor
        "０９１２ ３４５ ６８８",  # full-width
        "٠٩١٢٣٤٥٦٨٨",  # Arabic-Indic digits
        "०९१२३४५६८८",  # Devanagari digits
    ],
)
def test_phone_numbers_are_normalised_before_they_are_checked(typed):
    assert national_phone_digits(typed) == "0912345688"


def test_id_numbers_lose_separators_and_foreign_digits():
    assert compact_number(" 008 190-123.456 ") == "008190123456"
    assert compact_number("００８１９０１２３４５６") == "008190123456"
    assert compact_number("c1234567") == "C1234567"
    assert ascii_digits("x٣") == "x3"


@pytest.mark.parametrize(
    "word",
    [
        "Nguyễn",
        "Thị",
        "Hoa",
        "Hoà",
        "Hòa",
        "Thuỷ",
        "Thủy",
        "Quỹ",
        "nghiêng",
        "khuya",
        "người",
        "giữ",
        "Đồng",
        "được",
        "Huỳnh",
        "của",
        "gìn",
        "già",
        "Nghĩa",
        "hoàng",
        "tuổi",
        "uống",
        "xoong",
        "oái",
    ],
)
def test_vietnamese_syllables_pass_the_spelling_check(word):
    assert vietnamese_syllable(word)


@pytest.mark.parametrize(
    "word", ["NguyÔn", "ThÞ", "Nguyeãn", "Th«n", "Ksor", "Müller", "Hoàá", "Leõ", "Nguyêñ"]
)
def test_other_spellings_do_not(word):
    assert not vietnamese_syllable(word)


# Both ways: Vietnamese written into TCVN3 or VNI with the library's own tables, read back.
NAMES = [
    "Nguyễn Thị Hoa",
    "Thôn Đồng Quỹ",
    "Trần Văn Nam",
    "Phạm Thị Ngọc Ánh",
    "Lê Thị Hồng Nhung",
    "Hoàng Đức Thắng",
    "Tổ 5, phường Minh Xuân",
    "Vũ Thị Thuỷ",
    "Đặng Quốc Việt",
]


def _encode(text: str, charmap) -> str:
    """Unicode -> the legacy surface text, by the table inverted (longest target first)."""
    table = {unicode: legacy for legacy, unicode in charmap.pairs}
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char not in table and char.lower() in table and charmap is TCVN3:
            # TCVN3 has no upper-case toned letters: a capital is typed in the .VnTimeH font.
            char = char.lower()
        out.append(table.get(char, char))
    return "".join(out)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("charmap", "label"), [(TCVN3, "TCVN3 (ABC)"), (VNI, "VNI")])
def test_legacy_text_is_recognised_and_converted_back(name, charmap, label):
    legacy = _encode(name, charmap)
    assert legacy != name
    found = legacy_text(legacy)
    assert found is not None and found.encoding == label
    expected = name if charmap is VNI else _lowered_toned_capitals(name)
    assert found.converted == expected


def _lowered_toned_capitals(name: str) -> str:
    table = {unicode for _, unicode in TCVN3.pairs}
    return "".join(c.lower() if c not in table and c.lower() in table else c for c in name)


def test_the_issue_examples():
    assert legacy_text("NguyÔn ThÞ Hoa") == LegacyText("TCVN3 (ABC)", "Nguyễn Thị Hoa")
    assert legacy_text("Nguyeãn Thò Hoa") == LegacyText("VNI", "Nguyễn Thị Hoa")
    assert legacy_text("Th«n §ång Quü") == LegacyText("TCVN3 (ABC)", VILLAGE)


@pytest.mark.parametrize(
    "text",
    NAMES
    + [
        "Hoà Bình",  # old-style tone placement; VNI would read it "Hồ Bình"
        "Ksor H'Bia",  # names of the Central Highlands are not Vietnamese syllables
        "Y Bih Niê",
        "José García",
        "Müller",
        "TDP số 3",
        "Thôn Cầu Bâm",
        VILLAGE_NFD,
    ],
)
def test_unicode_and_foreign_names_are_left_alone(text):
    assert legacy_text(text) is None


def test_legacy_symbols_without_a_reliable_conversion_are_still_named():
    assert legacy_text("abc§xyz") == LegacyText()


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("Nguyễn Văn An", True),
        ("Nguye\u0302\u0303n Thi\u0323 Hoa", True),  # decomposed (NFD) marks count too
        ("Đinh Lan", True),
        ("dinh Đ", True),
        ("nguyen van an", False),
        ("NGUYEN VAN AN", False),
        ("John Smith", False),
        ("", False),
    ],
)
def test_names_without_any_vietnamese_mark_are_told_apart(text, marked):
    assert has_vietnamese_diacritics(text) is marked
