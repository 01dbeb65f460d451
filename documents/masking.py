"""The holder's name as the public verification page shows it: Nguyễn T** H***."""

import unicodedata


def mask_name(full_name: str) -> str:
    """Keep the family name and the first letter of every other word; star the rest.

    "Nguyễn Thị Hồng Nhung" becomes "Nguyễn T** H*** N****": enough for the holder to
    recognise the paper, not enough to learn a stranger's name from a token.
    """
    words = unicodedata.normalize("NFC", full_name or "").split()
    if not words:
        return ""
    if len(words) == 1:
        return _masked_word(words[0])
    return " ".join([words[0], *(_masked_word(word) for word in words[1:])])


def _masked_word(word: str) -> str:
    return word[:1] + "*" * (len(word) - 1)
