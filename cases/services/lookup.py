"""A citizen's way back to their case: the lookup by tracking code and ID number, and the
forgotten tracking code sent again to the declared phone (issue 14 items 17 and 19).

The lookup's limits count failures, not lookups, so that the rightful owner is not locked
out by somebody else's wrong tries:

- per client address (core.client.client_address): an address that keeps guessing is
  refused, for every code, until its window ends; another address is not.
- per tracking code, from every address: past this many wrong pairs the code is under
  attack. Its lookup then gives one answer to every pair, right or wrong, so that guessing
  on learns nothing: "if the pair is right, your personal link went to the declared phone".
  The rightful owner, right pair in hand, gets the link by SMS (at most SEND_LIMIT a day);
  the attacker gets nothing.

Each failure is counted before the pair is checked (parallel tries cannot slip under the
limit together) and taken back when the pair is right. Every refusal gives the number of
seconds until the limit that refused starts over: the truth, from the limiter's own window
(core.ratelimit.seconds_left).
"""

from dataclasses import dataclass

from django.db import transaction

from audit.services import audit_log
from cases.models import Case
from cases.selectors import case_for_citizen, cases_for_citizen_phone
from cases.services.notice import case_notify
from cases.tracking import normalize_tracking_code
from core.ratelimit import hit, peek, seconds_left, unhit
from core.text import compact_number

# (scope, limit, window in seconds). Wrong pairs per address: mobile carriers put many
# people behind one address, and a family looking up its cases makes few mistakes.
ADDRESS_FAILURES = ("lookup-ip-fail", 20, 600)
# Wrong pairs per tracking code from every address. An ID number has 10^6 candidates once
# its birth year and province are known; 10 an hour is a few lifetimes of guessing.
CODE_FAILURES = ("lookup-code-fail", 10, 3_600)
# Messages with the personal link per case, whatever asked for them (a lookup under
# attack, the forgotten-code page): bounds the SMS anyone can make a person receive.
SEND_LIMIT = ("status-link-send", 3, 86_400)
# The forgotten-code page: requests per address, and per ID number typed.
RESEND_ADDRESS_LIMIT = ("code-resend-ip", 10, 3_600)
RESEND_SECRET_LIMIT = ("code-resend-id", 3, 86_400)


@dataclass(frozen=True)
class Lookup:
    """The answer to a lookup.

    `case`: the pair was right (and the code is not under attack). `refused_for`: seconds
    until the client's address may try again (nothing was checked). `code_locked_for`:
    seconds until the code's direct lookup opens again; the pair may or may not have been
    right (if it was, the personal link was sent). All empty: the pair was wrong."""

    case: Case | None = None
    refused_for: int | None = None
    code_locked_for: int | None = None


def _limit(spec: tuple[str, int, int], ident: str) -> dict:
    scope, limit, window = spec
    return {"scope": scope, "ident": ident, "limit": limit, "window": window}


def lookup_refused_for(*, address: str) -> int | None:
    """Seconds until `address` may look up again, or None if it may now (nothing counted):
    the lookup pages say so before anything is typed."""
    scope, limit, window = ADDRESS_FAILURES
    if peek(scope, address, limit=limit, window=window):
        return None
    return seconds_left(window)


def _status_link_send(case: Case, *, reason: str, request=None) -> bool:
    """Send the case's tracking code and personal link to its declared phone and email,
    unless SEND_LIMIT is used up for the case today. Audited (no actor: the citizen)."""
    scope, limit, window = SEND_LIMIT
    if not case.phone and not case.guardian_phone and not case.email:
        return False
    if not hit(scope, str(case.pk), limit=limit, window=window):
        return False
    case_notify(case, "status_link")
    audit_log(
        action="case.status_link_sent",
        request=request,
        obj=case,
        unit=case.commune,
        detail={"reason": reason},
    )
    return True


@transaction.atomic
def case_lookup(*, tracking_code: str, secret: str, address: str, request=None) -> Lookup:
    """Look a case up as a citizen: `tracking_code` as typed, `secret` the ID number (or
    the guardian's phone for a child; cases.selectors.case_for_citizen), `address` the
    client's (core.client.client_address). Counts failures as the module says."""
    code = normalize_tracking_code(tracking_code)
    by_address = _limit(ADDRESS_FAILURES, address)
    by_code = _limit(CODE_FAILURES, code)
    if not hit(**by_address):
        wait = seconds_left(by_address["window"])
        if not peek(**by_code):
            # The code is locked too, for longer perhaps: the time given must be the truth.
            wait = max(wait, seconds_left(by_code["window"]))
        return Lookup(refused_for=wait)
    code_open = hit(**by_code)
    case = case_for_citizen(tracking_code=code, secret=secret)
    if case is not None:
        unhit(scope=by_address["scope"], ident=address, window=by_address["window"])
        unhit(scope=by_code["scope"], ident=code, window=by_code["window"])
    if code_open:
        return Lookup(case=case)
    if case is not None:
        _status_link_send(case, reason="lookup_locked", request=request)
    return Lookup(code_locked_for=seconds_left(by_code["window"]))


@transaction.atomic
def case_code_resend(*, secret: str, phone: str, address: str, request=None) -> int | None:
    """Send the tracking code and personal link of the cases declared with `secret` (as
    case_lookup) and `phone` (the declared phone, any usual form) to that phone, never
    showing whether any matched. Returns None when done (sent or not), or the seconds to
    wait when RESEND_ADDRESS_LIMIT or RESEND_SECRET_LIMIT refuses (nothing looked up)."""
    waits = [
        seconds_left(window)
        for (scope, limit, window), ident in (
            (RESEND_ADDRESS_LIMIT, address),
            (RESEND_SECRET_LIMIT, compact_number(secret)),
        )
        if not hit(scope, ident, limit=limit, window=window)
    ]
    if waits:
        # The longest: the page tells the time when every refusing limit has started over.
        return max(waits)
    for case in cases_for_citizen_phone(secret=secret, phone=phone):
        _status_link_send(case, reason="code_forgotten", request=request)
    return None
