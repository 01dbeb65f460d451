"""What a citizen's browser session remembers between the steps of a form.

Nothing here is an account: the session holds the draft being written, the answer to the
last submission, and which cases this browser has proven it may see (tracking code plus
ID number, or having declared the case itself).
"""

import uuid

from django.utils import timezone
from django.utils.datastructures import MultiValueDict

DECLARATION = "declaration"
LAST_RECEIPT = "declaration_receipt"
HOUSEHOLD = "household"
CITIZEN_CASES = "citizen_cases"
CITIZEN_CASES_LIMIT = 20

# Fields a second member of the household need not type again.
HOUSEHOLD_FIELDS = ("district", "commune", "village", "house_number", "phone", "household_size")


def declaration_start(session) -> dict:
    state = {
        "key": str(uuid.uuid4()),
        "consent_at": timezone.now().isoformat(),
        "draft": None,
    }
    session[DECLARATION] = state
    return state


def declaration_state(session) -> dict | None:
    return session.get(DECLARATION)


def draft_save(session, post, form) -> None:
    """Keep what was typed (and the staged photos' tokens) to rebuild the form later."""
    state = session[DECLARATION]
    draft = {k: post.getlist(k) for k in post if k != "csrfmiddlewaretoken"}
    for name in ("test_photo", "id_photo"):
        upload = form.cleaned_data.get(name)
        draft[f"{name}_token"] = [upload.token] if upload else []
        draft.pop(f"{name}_clear", None)
    state["draft"] = draft
    session.modified = True


def draft_data(state: dict) -> MultiValueDict:
    return MultiValueDict(state["draft"] or {})


def declaration_finish(session, *, state: dict, case, kind: str) -> None:
    draft = state.get("draft") or {}
    session[HOUSEHOLD] = {k: draft[k] for k in HOUSEHOLD_FIELDS if k in draft}
    session[LAST_RECEIPT] = {"key": state["key"], "case_id": case.pk, "kind": kind}
    session.pop(DECLARATION, None)
    if kind == "created":
        citizen_case_allow(session, case)


def household_initial(session) -> dict:
    return {k: (v[0] if len(v) == 1 else v) for k, v in (session.get(HOUSEHOLD) or {}).items() if v}


def citizen_case_allow(session, case) -> None:
    ids = [i for i in session.get(CITIZEN_CASES, []) if i != case.pk]
    session[CITIZEN_CASES] = (ids + [case.pk])[-CITIZEN_CASES_LIMIT:]


def citizen_case_allowed(session, case_id: int) -> bool:
    return case_id in session.get(CITIZEN_CASES, [])
