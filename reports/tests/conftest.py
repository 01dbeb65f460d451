"""A mix of cases made through the real services, and direct counts to check figures by."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.choices import AWAITING_REVIEW, ISOLATING, EventKind, Outcome, Status
from cases.models import Case, CaseEvent
from cases.services import (
    case_accept,
    case_close,
    case_confirm_recovery,
    case_reject,
    case_request_recovery,
    case_transfer,
)
from cases.testing import make_case
from units.models import Unit
from units.scope import scope_q


def issue_decision(case, *, document_type="isolation_decision", at=None):
    """What the documents app records when it issues a document for a case."""
    event = CaseEvent.objects.create(
        case=case,
        kind=EventKind.DOCUMENT_ISSUED,
        actor_label="leader",
        from_status=case.status,
        to_status=case.status,
        data={"document_id": 0, "kind": document_type, "number": "01/QĐ-UBND"},
    )
    if at is not None:
        CaseEvent.objects.filter(pk=event.pk).update(at=at)
    return event


@pytest.fixture
def scenario(commune_a, commune_a2, commune_b, officer_a, officer_a2, officer_b):
    """Cases in two communes of Thành phố Tuyên Quang and one of Sơn Dương, in every state."""
    today = timezone.localdate()
    old = today - timedelta(days=9)  # past the earliest recovery date (day 7)
    made = {}
    made["a_waiting"] = [make_case(commune_a) for _ in range(3)]
    made["a_accepted"] = [
        make_case(commune_a, status=Status.ACCEPTED, by=officer_a) for _ in range(2)
    ]
    made["a_eligible"] = [
        make_case(commune_a, status=Status.ACCEPTED, by=officer_a, positive_test_date=old)
        for _ in range(2)
    ]
    rejected = make_case(commune_a)
    case_reject(case=rejected, by=officer_a, reason="duplicate")
    recovered = make_case(commune_a, status=Status.ACCEPTED, by=officer_a, positive_test_date=old)
    case_request_recovery(
        case=recovered,
        negative_test_date=today - timedelta(days=1),
        test_type="rapid_self",
        tested_by="self_supervised",
    )
    case_confirm_recovery(case=Case.objects.get(pk=recovered.pk), by=officer_a)
    requested = make_case(commune_a, status=Status.ACCEPTED, by=officer_a, positive_test_date=old)
    case_request_recovery(
        case=requested,
        negative_test_date=today,
        test_type="rapid_self",
        tested_by="self_supervised",
    )
    hospitalised = make_case(commune_a, status=Status.ACCEPTED, by=officer_a)
    case_close(case=hospitalised, by=officer_a, outcome=Outcome.HOSPITALISED)
    # Declared in A, transferred to A2, accepted there; and one transferred still waiting.
    moved = make_case(commune_a)
    case_transfer(case=moved, by=officer_a, to_commune=commune_a2, note="Ở nhờ nhà con gái")
    case_accept(case=Case.objects.get(pk=moved.pk), by=officer_a2)
    moving = make_case(commune_a)
    case_transfer(case=moving, by=officer_a, to_commune=commune_a2, note="Sai địa bàn")
    # Accepted in A, then found to live in B.
    accepted_then_moved = make_case(commune_a, status=Status.ACCEPTED, by=officer_a)
    case_transfer(case=accepted_then_moved, by=officer_a, to_commune=commune_b, note="Về quê")
    made["b_cases"] = [make_case(commune_b, status=Status.ACCEPTED, by=officer_b) for _ in range(2)]
    issue_decision(made["a_accepted"][0])
    issue_decision(made["b_cases"][0])
    return made


def direct_figures(unit: Unit) -> dict:
    """The dashboard's figures counted straight from cases and events, no summaries."""
    today = timezone.localdate()
    cases = Case.objects.filter(scope_q(unit))
    communes = list(
        Unit.objects.within(unit).filter(level=Unit.Level.COMMUNE).values_list("pk", flat=True)
    )
    declared_today = [
        e
        for e in CaseEvent.objects.filter(kind__in=[EventKind.DECLARED, EventKind.ENROLLED])
        if timezone.localtime(e.at).date() == today and e.data.get("commune_id") in communes
    ]
    return {
        "new_today": len(declared_today),
        "awaiting": cases.filter(status__in=AWAITING_REVIEW).count(),
        "isolating": cases.filter(status__in=ISOLATING).count(),
        "recovery_requested": cases.filter(status=Status.RECOVERY_REQUESTED).count(),
        "eligible": cases.filter(status__in=ISOLATING, isolation_end__lte=today).count(),
        "recovered": cases.filter(status=Status.RECOVERED).count(),
        "hospitalised": cases.filter(outcome=Outcome.HOSPITALISED).count(),
        "rejected": cases.filter(status=Status.REJECTED).count(),
        "oldest_waiting_since": min(
            cases.filter(status__in=AWAITING_REVIEW).values_list("submitted_at", flat=True),
            default=None,
        ),
    }


def figures_dict(figures) -> dict:
    return {
        "new_today": figures.new_today,
        "awaiting": figures.awaiting,
        "isolating": figures.isolating,
        "recovery_requested": figures.recovery_requested,
        "eligible": figures.eligible,
        "recovered": figures.recovered,
        "hospitalised": figures.hospitalised,
        "rejected": figures.rejected,
        "oldest_waiting_since": figures.oldest_waiting_since,
    }
