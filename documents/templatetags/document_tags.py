"""Template helpers for the document panels included in the case pages."""

from django import template
from django.utils import timezone

from cases.choices import Status
from core.text import in_running_text as core_in_running_text
from documents.models import Kind
from documents.selectors import (
    citizen_documents,
    documents_of_case,
    issued_decision,
    may_issue,
    may_prepare,
    may_revoke,
    wording_for,
)
from documents.services import ISSUABLE_IN, documents_stating_old_values, period_over

register = template.Library()


@register.simple_tag
def case_documents_for(case, user) -> dict:
    """The case's documents, what `user` may do with each, and which kinds may be prepared."""
    documents = list(documents_of_case(case))
    wording = wording_for(case.commune)
    has_decision = issued_decision(case) is not None
    over = period_over(case, timezone.localdate())
    # Issued documents that a later correction made untrue: to be revoked and replaced.
    untrue = {d.pk for d in documents_stating_old_values(case)} if documents else set()
    rows = [
        {
            "document": document,
            "states_old_values": document.pk in untrue,
            "can_issue": document.is_prepared and may_issue(user, document, wording),
            "can_revoke": document.is_issued and may_revoke(user, document),
            # A confirmation cites its decision: without one, both are issued in order.
            "in_order": document.kind == Kind.RECOVERY_CONFIRMATION and not has_decision,
            # Issuing a decision (or both) for a period already over is confirmed first.
            "confirm_past": over and (document.kind == Kind.ISOLATION_DECISION or not has_decision),
        }
        for document in documents
    ]
    live_kinds = {d.kind for d in documents if not d.is_revoked}
    preparable = []
    if may_prepare(user, case):
        preparable = [
            (kind, label)
            for kind, label in Kind.choices
            if kind not in live_kinds and case.status in ISSUABLE_IN[kind]
        ]
    return {
        "rows": rows,
        "preparable": preparable,
        "leader_must_issue": wording.leader_must_issue,
        "is_recovered": case.status == Status.RECOVERED,
        "period_start": case.positive_test_date,
        "period_end": case.extended_isolation_end,
    }


@register.simple_tag
def citizen_documents_of(case):
    return list(citizen_documents(case))


@register.filter
def in_running_text(unit_name: str) -> str:
    """ "Xã Tràng Đà" inside a sentence: "xã Tràng Đà"."""
    return core_in_running_text(unit_name or "")
