"""What a citizen's browser session remembers between the steps of a form.

Nothing here is an account: the session holds the draft being written, the answer to the
last submission, and which cases this browser has proven it may see (tracking code plus
ID number, or having declared the case itself).
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from cases.intake import values_from_json, values_to_json

DECLARATION = "declaration"
LAST_RECEIPT = "declaration_receipt"
HOUSEHOLD = "household"
CITIZEN_CASES = "citizen_cases"
CITIZEN_CASES_LIMIT = 20

# Fields a second member of the household need not type again.
HOUSEHOLD_FIELDS = ("district", "commune", "village", "house_number", "phone", "household_size")


@contextmanager
def committed_with(session) -> Iterator[None]:
    """Run the block in a transaction that also saves the session: one commit for both, and
    a session that never names rows the block did not write (nor misses those it did)."""
    with transaction.atomic():
        yield
        session.save()
    # Saved: the session middleware need not write it a second time.
    session.modified = False


# A declaration in the session (DECLARATION) is one submission for one household:
#   {"key": submission key, "consent_at": ISO time, "current": index of the member edited,
#    "phones_verified": [phones proven with a one-time code],
#    "members": [{"draft": what was typed (lists, as posted) or None,
#                 "values": the checked values (JSON-safe), "commune_id", "photos"}, ...]}
# A member without "values" has not been sent through the form yet.


def _member() -> dict:
    return {"draft": None}


def declaration_start(session) -> dict:
    state = {
        "key": str(uuid.uuid4()),
        "consent_at": timezone.now().isoformat(),
        "members": [_member()],
        "current": 0,
        "phones_verified": [],
    }
    session[DECLARATION] = state
    return state


def declaration_state(session) -> dict | None:
    """The declaration being written, in the household shape (a session written before
    households, one person at the top level, is read as a household of one)."""
    state = session.get(DECLARATION)
    if state is not None and "members" not in state:
        member = {
            k: state.pop(k) for k in ("draft", "values", "commune_id", "photos") if k in state
        }
        verified = state.pop("phone_verified", None)
        state.update(members=[member], current=0, phones_verified=[verified] if verified else [])
        session.modified = True
    return state


def current_member(state: dict) -> dict:
    return state["members"][state["current"]]


def complete_members(state: dict) -> list[dict]:
    """The members sent through the form, in order (one just added and empty is not)."""
    return [m for m in state["members"] if m.get("values")]


def member_add(session, state: dict) -> None:
    """Start the next member of the household: the form opens with the first member's
    address and phone (HOUSEHOLD_FIELDS); the phones proven stay proven."""
    state["members"] = complete_members(state) + [_member()]
    state["current"] = len(state["members"]) - 1
    session.modified = True


def member_edit(session, state: dict, index: int) -> None:
    state["members"] = complete_members(state)
    state["current"] = min(max(index, 0), len(state["members"]) - 1)
    session.modified = True


def member_remove(session, state: dict, index: int) -> None:
    members = complete_members(state)
    if len(members) > 1 and 0 <= index < len(members):
        members.pop(index)
    state["members"], state["current"] = members, 0
    session.modified = True


def members_prune(session, state: dict) -> None:
    """Drop a member added but never filled in (the person went back to check instead)."""
    members = complete_members(state)
    if members and len(members) != len(state["members"]):
        state["members"], state["current"] = members, len(members) - 1
        session.modified = True


def household_ids(state: dict) -> dict[str, str]:
    """{ID number: name} of the members other than the one being edited."""
    return {
        m["values"]["id_number"]: m["values"]["full_name"]
        for i, m in enumerate(state["members"])
        if i != state["current"] and m.get("values") and m["values"].get("id_number")
    }


def draft_save(session, post, form) -> None:
    """Keep what was typed (to show the form again) and the checked values (to send)."""
    member = current_member(session[DECLARATION])
    draft = {k: post.getlist(k) for k in post if k != "csrfmiddlewaretoken"}
    photos = {}
    for name in ("test_photo", "id_photo"):
        upload = form.cleaned_data.get(name)
        draft[f"{name}_token"] = [upload.token] if upload else []
        draft.pop(f"{name}_clear", None)
        photos[name] = {"id": upload.pk, "token": upload.token} if upload else None
    member["draft"] = draft
    member["values"] = values_to_json(form.case_values())
    member["commune_id"] = form.cleaned_data["commune"].pk
    member["photos"] = photos
    session.modified = True


def draft_values(member: dict) -> dict:
    """The checked values of a member's draft, typed again as the service takes them."""
    return values_from_json(member["values"])


def draft_data(member: dict) -> MultiValueDict:
    return MultiValueDict(member["draft"] or {})


def phones_to_verify(state: dict) -> list[str]:
    """The members' phones not yet proven with a one-time code, in order, once each."""
    phones = [m["values"]["phone"] for m in complete_members(state)]
    return [p for p in dict.fromkeys(phones) if p not in state["phones_verified"]]


def declaration_finish(session, *, state: dict) -> None:
    """Remember the answer (the receipt page lists each member once the worker has
    recorded the submission: cases.intake) and forget the draft."""
    draft = state["members"][0].get("draft") or {}
    session[HOUSEHOLD] = {k: draft[k] for k in HOUSEHOLD_FIELDS if k in draft}
    session[LAST_RECEIPT] = {"key": state["key"], "intake": True}
    session.pop(DECLARATION, None)


def receipt_members(receipt: dict, intake=None) -> list[dict]:
    """The members of a receipt ({"case_id", "kind"} each): those of its recorded intake,
    or, for a receipt written before intakes, those it names itself (one case at the top
    level before households)."""
    if receipt.get("intake"):
        return list(intake.results) if intake is not None else []
    if "members" in receipt:
        return receipt["members"]
    return [{"case_id": receipt["case_id"], "kind": receipt["kind"]}]


def household_initial(session, state: dict | None = None) -> dict:
    """Initial values of a new member's form: the first member's address and phone in this
    submission, else those of the last household declared from this browser."""
    first = state["members"][0].get("draft") if state else None
    kept = {k: first[k] for k in HOUSEHOLD_FIELDS if k in first} if first else None
    kept = kept or session.get(HOUSEHOLD) or {}
    return {k: (v[0] if len(v) == 1 else v) for k, v in kept.items() if v}


def citizen_case_allow(session, case) -> None:
    ids = [i for i in session.get(CITIZEN_CASES, []) if i != case.pk]
    session[CITIZEN_CASES] = (ids + [case.pk])[-CITIZEN_CASES_LIMIT:]


def citizen_case_allowed(session, case_id: int) -> bool:
    return case_id in session.get(CITIZEN_CASES, [])
