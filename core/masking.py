"""The one masking policy for personal data shown in lists, reports and public pages.

Masked data is enough to tell people apart and to recognise one's own record, not enough
to copy or misuse. Every place that shows a phone, an ID number or a name partly hidden
uses these functions (in templates through `{% load masking %}`), so one person's data
looks the same wherever it appears.

Masking is pure string work: this module imports no other project app. Every function
takes a string (None counts as empty) and returns a string: empty stays empty, and a value
too short to keep its ends with enough hidden in between is starred whole, so a short
value is never shown in full.
"""

import unicodedata

STAR = "*"
# A value keeps its ends only when at least this many characters are hidden between them.
MIN_HIDDEN = 3


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _keep_ends(value, head: int, tail: int) -> str:
    text = _text(value)
    hidden = len(text) - head - tail
    if hidden < MIN_HIDDEN:
        return STAR * len(text)
    return text[:head] + STAR * hidden + text[len(text) - tail :]


def mask_phone(value: str | None) -> str:
    """A phone number with its first 3 and last 3 characters kept: `0912345678` -> `091****678`.

    Input: a phone number as stored (10 digits once normalised). Output: as many characters
    as the input, the middle ones starred. A value under 9 characters is starred whole
    (`12345678` -> `********`); empty or None gives "".
    """
    return _keep_ends(value, 3, 3)


def mask_id_number(value: str | None) -> str:
    """An ID number (CCCD, CMND, passport) with its first 4 and last 2 characters kept.

    `008190001256` -> `0081******56`; a 9-digit CMND `012345678` -> `0123***78`. Output has
    as many characters as the input. A value under 9 characters is starred whole
    (`C1234567` -> `********`); empty or None gives "".
    """
    return _keep_ends(value, 4, 2)


def mask_name(value: str | None) -> str:
    """A full name with the family name kept and the first letter of every other word.

    `Nguyễn Thị Hồng Nhung` -> `Nguyễn T** H*** N****`: the holder recognises the name, a
    stranger does not learn it. Input in any Unicode form (NFD from some keyboards counts
    each letter once); output in NFC, words joined by single spaces. A one-word name keeps
    only its first letter (`Hoa` -> `H**`), and a one-letter word is starred whole
    (`Lò A` -> `Lò *`), so no name is shown in full; empty or None gives "".
    """
    words = unicodedata.normalize("NFC", _text(value)).split()
    if not words:
        return ""
    if len(words) == 1:
        return _initial_only(words[0])
    return " ".join([words[0], *(_initial_only(word) for word in words[1:])])


def _initial_only(word: str) -> str:
    if len(word) < 2:
        return STAR * len(word)
    return word[0] + STAR * (len(word) - 1)
