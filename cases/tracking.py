"""Tracking codes: short, easy to read aloud, unguessable in practice (TQ-7K3M-9QXH)."""

import re
import secrets

from django.conf import settings

# No 0/O, 1/I/L, U: nothing two people could confuse over the phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 2
GROUP_LENGTH = 4


def new_tracking_code() -> str:
    """30^8 ≈ 6.6e11 codes; with lookups rate-limited a guess succeeds with negligible odds."""
    groups = ["".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS)]
    return "-".join([settings.TRACKING_CODE_PREFIX, *groups])


def normalize_tracking_code(raw: str) -> str:
    """Accept any case, spaces, missing dashes and the prefix left out."""
    compact = re.sub(r"[^0-9A-Za-z]", "", raw or "").upper()
    prefix = settings.TRACKING_CODE_PREFIX.upper()
    body_length = GROUPS * GROUP_LENGTH
    if len(compact) == body_length:
        compact = prefix + compact
    if len(compact) != len(prefix) + body_length or not compact.startswith(prefix):
        return ""
    body = compact[len(prefix) :]
    groups = [body[i : i + GROUP_LENGTH] for i in range(0, body_length, GROUP_LENGTH)]
    return "-".join([prefix, *groups])
