"""Writes on cases. Every status change goes through cases.lifecycle.transition(): it locks
the case, checks the lifecycle, writes the CaseEvent and runs the hooks in one transaction;
an illegal change raises and changes nothing. Each service writes its own audit entry."""

from cases.lifecycle import CaseChanged, IllegalTransition
from cases.services.decisions import (
    CORRECTABLE_FIELDS,
    case_accept,
    case_close,
    case_correct,
    case_reject,
    case_transfer,
)
from cases.services.declaration import (
    CONTACT_FIELDS,
    DECLARATION_FIELDS,
    HEALTH_FIELDS,
    HOUSEHOLD_MAX_MEMBERS,
    IDENTITY_FIELDS,
    PERSON_FIELDS,
    TEST_FIELDS,
    DeclareResult,
    MemberDeclaration,
    case_declare,
    household_declare,
)
from cases.services.monitoring import (
    case_call_note,
    daily_report_submit,
    monitoring_link_send,
    monitoring_links_send_morning,
)
from cases.services.notice import case_notify
from cases.services.recovery import (
    RecoveryTooEarly,
    case_confirm_recovery,
    case_refuse_recovery,
    case_request_recovery,
)

__all__ = [
    "CONTACT_FIELDS",
    "CaseChanged",
    "CORRECTABLE_FIELDS",
    "DECLARATION_FIELDS",
    "HEALTH_FIELDS",
    "IDENTITY_FIELDS",
    "PERSON_FIELDS",
    "TEST_FIELDS",
    "DeclareResult",
    "HOUSEHOLD_MAX_MEMBERS",
    "MemberDeclaration",
    "IllegalTransition",
    "RecoveryTooEarly",
    "case_accept",
    "case_call_note",
    "case_close",
    "case_confirm_recovery",
    "case_correct",
    "case_declare",
    "case_notify",
    "case_refuse_recovery",
    "case_reject",
    "case_request_recovery",
    "case_transfer",
    "daily_report_submit",
    "household_declare",
    "monitoring_link_send",
    "monitoring_links_send_morning",
]
