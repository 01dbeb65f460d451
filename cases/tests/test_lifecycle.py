"""The one home of the lifecycle: the transition table, the actions a case offers, who may
act, the hooks above `cases`, and the audit entries the services write themselves."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from cases.choices import OFFICIAL_ACTIONS, TRANSITIONS, Action, Status
from cases.lifecycle import ACTION_TARGETS
from cases.models import Case
from cases.services import (
    case_accept,
    case_close,
    case_confirm_recovery,
    case_correct,
    case_refuse_recovery,
    case_reject,
    case_request_recovery,
    case_transfer,
)
from cases.testing import make_case

ENDED = {Status.RECOVERED, Status.REJECTED, Status.CLOSED}


def test_transition_table_names_every_open_status_and_no_ended_one():
    assert set(TRANSITIONS) == set(Status) - ENDED
    reachable = {to for moves in TRANSITIONS.values() for to in moves.values()}
    # Every status but the first can be reached, and every ended one is reached.
    assert reachable == set(Status) - {Status.SUBMITTED}


def test_each_action_leads_to_one_status_wherever_it_is_allowed():
    for moves in TRANSITIONS.values():
        for action, to in moves.items():
            assert ACTION_TARGETS[action] == to
    assert set(ACTION_TARGETS) == set(Action) - {Action.CORRECT}


@pytest.mark.django_db
def test_allowed_actions_follow_the_table_and_the_dates(commune_a, officer_a):
    today = timezone.localdate()
    case = make_case(commune_a, positive_test_date=today - timedelta(days=3))
    assert case.allowed_actions() == {"accept", "reject", "transfer", "close", "correct"}

    case = case_accept(case=case, by=officer_a)
    # Isolating, no negative test yet: no confirmation before the longest period ends.
    assert case.allowed_actions() == {"transfer", "close", "correct"}
    assert "confirm_recovery" in case.allowed_actions(today=case.extended_isolation_end)

    case_reject_target = make_case(commune_a)
    case_reject(case=case_reject_target, by=officer_a, reason="duplicate")
    assert Case.objects.get(pk=case_reject_target.pk).allowed_actions() == set()


@pytest.mark.django_db
def test_allowed_actions_of_a_recovery_declaration(commune_a, officer_a):
    today = timezone.localdate()
    case = make_case(commune_a, positive_test_date=today - timedelta(days=8))
    case_accept(case=case, by=officer_a)
    case_request_recovery(
        case=case, negative_test_date=today, test_type="rapid_self", tested_by="self"
    )
    case = Case.objects.get(pk=case.pk)
    assert case.allowed_actions() == {"confirm_recovery", "refuse_recovery", "close", "correct"}
    assert case.allowed_actions() <= OFFICIAL_ACTIONS


@pytest.mark.django_db
def test_only_the_communes_own_officials_may_act(
    commune_a, officer_a, leader_a, officer_b, district_staff, province_health, admin_user
):
    assert officer_a.may_act_for(commune_a)
    assert leader_a.may_act_for(commune_a.pk)
    for outsider in (officer_b, district_staff, province_health, admin_user):
        assert not outsider.may_act_for(commune_a)
    assert not officer_a.may_act_for(None)


@pytest.mark.django_db
def test_case_services_write_their_own_audit_entries(commune_a, commune_a2, officer_a):
    today = timezone.localdate()
    audited = lambda action, case: AuditEntry.objects.filter(  # noqa: E731
        action=f"case.{action}", object_id=str(case.pk), actor=officer_a
    )
    case = make_case(commune_a, positive_test_date=today - timedelta(days=8))
    case_accept(case=case, by=officer_a, audit_detail={"job": 7})
    assert audited("accept", case).get().detail == {"job": 7}
    case_correct(case=case, by=officer_a, changes={"village": "Thôn Mới"}, reason="Gọi lại")
    assert audited("correct", case).get().detail == {"fields": ["village"]}
    case_request_recovery(
        case=case, negative_test_date=today, test_type="rapid_self", tested_by="self"
    )
    case_refuse_recovery(case=case, by=officer_a, reason="Ảnh mờ")
    assert audited("refuse_recovery", case).exists()
    case_request_recovery(
        case=case, negative_test_date=today, test_type="rapid_self", tested_by="self"
    )
    case_confirm_recovery(case=case, by=officer_a)
    assert audited("confirm_recovery", case).exists()

    rejected = make_case(commune_a)
    case_reject(case=rejected, by=officer_a, reason="duplicate")
    assert audited("reject", rejected).get().detail == {"reason": "duplicate"}

    closed = make_case(commune_a)
    case_close(case=closed, by=officer_a, outcome="hospitalised")
    assert audited("close", closed).get().detail == {"outcome": "hospitalised"}

    moved = make_case(commune_a)
    case_transfer(case=moved, by=officer_a, to_commune=commune_a2, note="Ở phường khác")
    entry = audited("transfer", moved).get()
    assert entry.unit == commune_a
    assert entry.detail == {"from_commune": commune_a.pk, "to_commune": commune_a2.pk}
