"""What a citizen's browser session remembers between the steps of a form.

Nothing here is an account: the session holds the draft being written, the answer to the
last submission, and which cases this browser has proven it may see (tracking code plus
ID number, or having declared the case itself).
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

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


DATE_FIELDS = ("date_of_birth", "positive_test_date", "last_dose_date", "symptom_onset_date")


def _dump(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def draft_save(session, post, form) -> None:
    """Keep what was typed (to show the form again) and the checked values (to send)."""
    state = session[DECLARATION]
    draft = {k: post.getlist(k) for k in post if k != "csrfmiddlewaretoken"}
    photos = {}
    for name in ("test_photo", "id_photo"):
        upload = form.cleaned_data.get(name)
        draft[f"{name}_token"] = [upload.token] if upload else []
        draft.pop(f"{name}_clear", None)
        photos[name] = {"id": upload.pk, "token": upload.token} if upload else None
    state["draft"] = draft
    state["values"] = {k: _dump(v) for k, v in form.case_values().items()}
    state["commune_id"] = form.cleaned_data["commune"].pk
    state["photos"] = photos
    session.modified = True


def draft_values(state: dict) -> dict:
    """The checked values of the draft, typed again as the service takes them."""
    values = dict(state["values"])
    for name in DATE_FIELDS:
        if values.get(name):
            values[name] = date.fromisoformat(values[name])
    if values.get("temperature") is not None:
        values["temperature"] = Decimal(values["temperature"])
    return values


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
