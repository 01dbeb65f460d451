"""Cases at each step of the documents workflow, in commune A (Xã Tràng Đà)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.choices import Status
from cases.services import case_confirm_recovery, case_request_recovery
from cases.testing import make_case
from documents.models import Document, Kind
from documents.services import document_issue


def accept(commune, officer, **overrides):
    """A case declared and accepted: its isolation decision is prepared."""
    return make_case(commune, status=Status.ACCEPTED, by=officer, **overrides)


def decision_of(case) -> Document:
    return Document.objects.live().get(case=case, kind=Kind.ISOLATION_DECISION)


def confirmation_of(case) -> Document:
    return Document.objects.live().get(case=case, kind=Kind.RECOVERY_CONFIRMATION)


def recover(case, officer, *, negative_days_ago: int = 1):
    """The citizen declares a negative test and the commune confirms recovery."""
    case_request_recovery(
        case=case,
        negative_test_date=timezone.localdate() - timedelta(days=negative_days_ago),
        test_type="rapid_self",
        tested_by="health_worker",
    )
    return case_confirm_recovery(case=case, by=officer)


@pytest.fixture
def accepted_case(commune_a, officer_a):
    return accept(commune_a, officer_a, full_name="Nguyễn Thị Hồng Nhung")


@pytest.fixture
def issued_decision(accepted_case, leader_a):
    return document_issue(document=decision_of(accepted_case), by=leader_a)


@pytest.fixture
def recovered_case(commune_a, officer_a, leader_a):
    """Positive eight days ago, decision issued, recovery confirmed: confirmation prepared."""
    case = accept(
        commune_a,
        officer_a,
        full_name="Trần Văn Bình",
        sex="male",
        positive_test_date=timezone.localdate() - timedelta(days=8),
        workplace="Công ty May Tuyên Quang",
    )
    document_issue(document=decision_of(case), by=leader_a)
    return recover(case, officer_a)
