"""Text at the boundary: what users type or paste, made safe to store, search and compare.

Pure string functions (core imports no project app):

- `nfc` / `nfc_data`: Unicode NFC. Some keyboards and systems send Vietnamese decomposed
  (NFD: "ô" + U+0300 instead of "ồ"); stored so, a search for the composed spelling finds
  nothing and an export shows two spellings of one village. Every form gets it through
  `core.forms.NfcFormMixin` (config/tests/test_text_boundary.py checks every form has it).
- `has_vietnamese_diacritics`: whether a name carries any Vietnamese mark (one without is
  confirmed by the person before it is printed on a decision).
- `ascii_digits` / `compact_number`: phone and ID numbers as ASCII digits, whatever script
  or width they were typed in, without spaces, dots, dashes and brackets.
- `legacy_text`: text typed in the legacy Vietnamese encodings TCVN3 (ABC, the `.Vn` fonts)
  or VNI (VNI-Windows) and read as Latin-1/Windows-1252, e.g. "NguyÔn ThÞ Hoa" or
  "Nguyeãn Thò Hoa" for "Nguyễn Thị Hoa". The conversion tables are the `viparse`
  package's (derived from published Vietnamese government documents); the decision that a
  text is legacy, not Vietnamese or a foreign name, is made here by Vietnamese spelling.
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from django.utils.datastructures import MultiValueDict

# Text ----------------------------------------------------------------------------------


def nfc(text: str) -> str:
    """`text` in Unicode NFC; anything but a str comes back as it is."""
    if isinstance(text, str) and not unicodedata.is_normalized("NFC", text):
        return unicodedata.normalize("NFC", text)
    return text


def nfc_deep(value):
    """`value` with every str in it NFC: lists and dicts (JSON) are walked, keys included."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list | tuple):
        return [nfc_deep(v) for v in value]
    if isinstance(value, dict):
        return {nfc_deep(k): nfc_deep(v) for k, v in value.items()}
    return value


def nfc_data(data: Mapping) -> Mapping:
    """A copy of submitted form data (QueryDict, MultiValueDict or dict) with every str NFC.

    Returns `data` itself when nothing needed normalising (the common case: no copy).
    """
    if isinstance(data, MultiValueDict):
        lists = {key: data.getlist(key) for key in data}
        if all(nfc(v) is v for values in lists.values() for v in values):
            return data
        copy = data.copy()
        for key, values in lists.items():
            copy.setlist(key, [nfc(v) for v in values])
        return copy
    if all(nfc(v) is v for v in data.values()):
        return data
    return {
        key: [nfc(v) for v in value] if isinstance(value, list | tuple) else nfc(value)
        for key, value in data.items()
    }


def has_vietnamese_diacritics(text: str) -> bool:
    """Whether `text` carries any Vietnamese mark: a tone, a hat, a horn, a breve or "đ".

    "Nguyễn Văn An" -> True; "nguyen van an", "John Smith", "" -> False. A name without any
    is printed as typed on official papers, so the forms ask the person to confirm it
    (issue 14 item 21): nearly every Vietnamese full name has a mark in some syllable.
    """
    if "đ" in text or "Đ" in text:
        return True
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", text))


# Numbers -------------------------------------------------------------------------------

# Spaces of any kind, dots, dashes of any kind, slashes and brackets between digit groups.
_NUMBER_SEPARATORS = re.compile(r"[\s.\-/()\[\]\u2010-\u2015\u2212]")


def ascii_digits(text: str) -> str:
    """Digits of any script or width turned into ASCII: "０９１２" and "٠٩١٢" -> "0912".

    Full-width forms (and full-width "+", brackets) go through NFKC; other scripts' decimal
    digits (Arabic-Indic, Devanagari, ...) through their Unicode decimal value. Other
    characters are left for the caller's format check to refuse.
    """
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(
        str(unicodedata.decimal(c))
        if not c.isascii() and unicodedata.decimal(c, None) is not None
        else c
        for c in text
    )


def compact_number(text: str) -> str:
    """A number as typed or pasted, in ASCII digits without separators: " 001-090 " -> "001090".

    Letters are kept (upper-cased) for passport numbers; nothing is validated here.
    """
    return _NUMBER_SEPARATORS.sub("", ascii_digits(text)).upper()


_TRUNK_ZERO = re.compile(r"^(\+84|0084|84)\s*\(\s*0\s*\)")


def national_phone_digits(text: str) -> str:
    """A Vietnamese phone number in national form, not yet validated.

    "0084 912 345 688", "+84 (0) 912.345.688", "84912345688", "+84 0912345688" and
    "０９１２３４５６８８" all give "0912345688". The caller checks length and prefix.
    """
    text = _TRUNK_ZERO.sub(r"\1", ascii_digits(text).strip())
    digits = compact_number(text)
    for country in ("+84", "0084"):
        if digits.startswith(country):
            rest = digits[len(country) :]
            return rest if rest.startswith("0") and len(rest) == 10 else "0" + rest
    if digits.startswith("84") and len(digits) == 11:
        return "0" + digits[2:]
    return digits


# Legacy encodings ----------------------------------------------------------------------

TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?"
_CODA = r"(?:ch|ng|nh|[cmnpt])?"
_SYLLABLE = re.compile(rf"({_ONSET})([aăâeêioôơuưy]+)({_CODA})")
# The vowel groups of Vietnamese spelling, tone marks removed (medial o/u included).
_NUCLEI = frozenset(
    [
        "a",
        "ă",
        "â",
        "e",
        "ê",
        "i",
        "o",
        "ô",
        "ơ",
        "u",
        "ư",
        "y",
        "ai",
        "ao",
        "au",
        "ay",
        "âu",
        "ây",
        "eo",
        "êu",
        "ia",
        "iê",
        "iu",
        "oa",
        "oă",
        "oe",
        "oi",
        "oo",
        "ôi",
        "ơi",
        "ua",
        "uâ",
        "uê",
        "ui",
        "uô",
        "uơ",
        "uy",
        "ưa",
        "ưi",
        "ươ",
        "ưu",
        "yê",
        "iêu",
        "oai",
        "oao",
        "oay",
        "oeo",
        "uây",
        "uôi",
        "uya",
        "uyê",
        "uyu",
        "ươi",
        "ươu",
        "yêu",
    ]
)
_EDGE_PUNCTUATION = "\"'()[],.;:!?-/«»"


# Cached: names and addresses repeat a few thousand syllables.
@lru_cache(maxsize=16384)
def vietnamese_syllable(word: str) -> bool:
    """Whether `word` is spelled as a Vietnamese syllable: onset, vowels, coda, one tone.

    A spelling check, not a dictionary: "thò" and "bỡnh" pass, "nguyeãn", "th«n", "ksor",
    "müller" and "leõ" (tone on the wrong vowel) do not. Both tone placements in open
    "oa", "oe", "uy" pass ("hòa" and "hoà").
    """
    letters, tone_at = [], None
    for position, char in enumerate(word.lower()):
        decomposed = unicodedata.normalize("NFD", char)
        tones = [c for c in decomposed if c in TONE_MARKS]
        if tones:
            if tone_at is not None or len(tones) > 1:
                return False
            tone_at = position
        letters.append(
            unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        )
    match = _SYLLABLE.fullmatch("".join(letters))
    if not match or match.group(2) not in _NUCLEI:
        return False
    if tone_at is None:
        return True
    start, end = match.span(2)
    if not start <= tone_at < end:
        return False
    return _tone_on_main_vowel(match.group(2), tone_at - start, closed=bool(match.group(3)))


def _tone_on_main_vowel(nucleus: str, index: int, *, closed: bool) -> bool:
    """The tone sits on the vowel with a hat or horn (the last: "ươ" -> ơ), else on the last
    vowel before a coda, else on the middle of three or the first of two (either for oa,
    oe, uy: old and new placement)."""
    hats = [i for i, c in enumerate(nucleus) if c in "ăâêôơư"]
    if hats:
        return index == hats[-1]
    if len(nucleus) == 1:
        return True
    if closed:
        return index == len(nucleus) - 1
    if len(nucleus) == 2:
        return index == 0 or nucleus in ("oa", "oe", "uy")
    return index == 1


def _words(text: str) -> list[str]:
    words = (w.strip(_EDGE_PUNCTUATION) for w in text.split())
    # Numbers ("Tổ 5", "12A") are neither Vietnamese nor legacy: they say nothing.
    return [w for w in words if w and not any(c in "0123456789" for c in w)]


@cache
def _legacy_symbols() -> frozenset[str]:
    """Characters of the legacy tables that are no letter of any alphabet (µ « § ¸ ...)."""
    from viparse.normalize.encodings import CHARMAPS

    return frozenset(
        c
        for name in LEGACY_ENCODINGS
        for source, _ in CHARMAPS[name].pairs
        for c in source
        if not c.isascii() and (not unicodedata.category(c).startswith("L") or c in "µªº")
    )


# viparse's names -> the names officers know.
LEGACY_ENCODINGS = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI"}


@dataclass(frozen=True)
class LegacyText:
    """Text that looks typed in a legacy encoding.

    `encoding` is "TCVN3 (ABC)" or "VNI" and `converted` the Unicode text when one
    conversion is reliable; both are "" when the text only shows legacy symbols.
    """

    encoding: str = ""
    converted: str = ""


def _convert(text: str, encoding: str) -> str:
    import viparse  # imported on first use: the package loads its document engines' tables

    return nfc(viparse.fix(text, encoding=encoding))


def legacy_text(text: str) -> LegacyText | None:
    """A `LegacyText` when `text` looks typed in TCVN3 or VNI, otherwise None.

    A conversion is offered when it changes only words that then read as Vietnamese
    syllables, at least one of which did not before, and it leaves fewer misspelt words
    than the other encoding's ("Hoà" is Vietnamese and stays; "NguyÔn" becomes "Nguyễn"). Text that shows symbols
    of the legacy tables (µ, «, §, ...) without a reliable conversion gives an empty
    `LegacyText`; foreign or minority names ("Ksor H'Bia", "Müller") give None.
    """
    text = nfc(text or "")
    if text.isascii():
        return None
    original = _words(text)
    # A conversion must mend a misspelt word, and a legacy symbol is no Vietnamese letter:
    # text whose non-ASCII words all read as Vietnamese (nearly all text) is done here.
    if all(w.isascii() or vietnamese_syllable(w) for w in original):
        return None
    fits = []
    for encoding, label in LEGACY_ENCODINGS.items():
        converted = _convert(text, encoding)
        after = _words(converted)
        changed = [(a, b) for a, b in zip(original, after, strict=False) if a != b]
        if (
            len(after) == len(original)
            and changed
            and all(vietnamese_syllable(b) for _, b in changed)
            and any(not vietnamese_syllable(a) for a, _ in changed)
        ):
            misspelt = sum(not vietnamese_syllable(w) for w in after)
            fits.append((misspelt, LegacyText(encoding=label, converted=converted)))
    fits.sort(key=lambda fit: fit[0])
    # The conversion that leaves fewest misspelt words, when no other ties with it.
    if fits and (len(fits) == 1 or fits[0][0] < fits[1][0]):
        return fits[0][1]
    if any(c in _legacy_symbols() for word in original for c in word):
        return LegacyText()
    return None


def in_running_text(unit_name: str) -> str:
    """A unit name inside a sentence: "Xã Tràng Đà" becomes "xã Tràng Đà", "Tỉnh Tuyên
    Quang" "tỉnh Tuyên Quang" (Decree 30/2020/NĐ-CP: a unit's kind is a common noun, in
    lower case after the first word of a sentence)."""
    return unit_name[:1].lower() + unit_name[1:]
