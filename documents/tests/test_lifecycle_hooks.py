"""Documents reacts to the case lifecycle through the hook it registers, not an import."""

import pytest

from cases.lifecycle import after_transition_hooks
from cases.services import case_accept
from cases.testing import make_case
from documents.models import Document, Kind
from documents.services import documents_after_transition


def test_documents_registers_its_after_transition_hook_once():
    assert after_transition_hooks().count(documents_after_transition) == 1


@pytest.mark.django_db
def test_accepting_a_case_prepares_its_isolation_decision_through_the_hook(commune_a, officer_a):
    case = case_accept(case=make_case(commune_a), by=officer_a)
    document = Document.objects.get(case=case)
    assert (document.kind, document.state) == (Kind.ISOLATION_DECISION, Document.State.PREPARED)
