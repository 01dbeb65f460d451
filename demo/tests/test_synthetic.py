"""Synthetic cases: consistent with their events, told through the case lifecycle, loaded
in bulk without losing indexes, and refused on a real site."""

import pytest
from django.core.management import call_command
from django.db.models import F

from accounts.models import Role
from accounts.testing import make_user
from cases.choices import EVENT_ACTIONS, TRANSITIONS, EventKind, Status
from cases.models import Case
from documents.models import Document, DocumentCounter
from reports.dashboard import dashboard_figures
from reports.summaries import summaries_rebuild
from reports.tests.conftest import direct_figures, figures_dict
from reports.tests.test_summaries import snapshot
from units.models import Unit

# Events that start a case; every other status change is an action of the lifecycle.
OPENING = {EventKind.DECLARED, EventKind.ENROLLED}


@pytest.mark.django_db
def test_synthetic_stories_replay_through_the_lifecycle_table(units, settings):
    settings.DEMO_MODE = True
    call_command("generate_cases", count=800, days=30, seed=11, verbosity=0)
    seen_actions = set()
    for case in Case.objects.prefetch_related("events"):
        events = sorted(case.events.all(), key=lambda e: (e.at, e.pk))
        assert events[0].kind in OPENING and events[0].to_status == Status.SUBMITTED
        status = Status.SUBMITTED
        for event in events[1:]:
            if event.kind not in EVENT_ACTIONS:
                assert event.from_status == event.to_status == status, event.kind
                continue
            action = EVENT_ACTIONS[event.kind]
            assert event.from_status == status
            assert TRANSITIONS[status].get(action) == event.to_status, (status, action)
            seen_actions.add(action)
            status = event.to_status
        assert status == case.status
    # The stories use every branch of the table a synthetic case can take.
    assert seen_actions >= {
        "accept",
        "reject",
        "transfer",
        "close",
        "request_recovery",
        "confirm_recovery",
    }


@pytest.mark.django_db
def test_generated_cases_are_consistent_with_their_events(units, settings):
    settings.DEMO_MODE = True
    call_command("generate_cases", count=600, days=20, seed=7, verbosity=0)
    assert Case.objects.count() == 600
    for case in Case.objects.prefetch_related("events"):
        status_events = [e for e in case.events.all() if e.from_status != e.to_status]
        assert status_events[-1].to_status == case.status
        assert all(e.at >= case.submitted_at for e in case.events.all())
        if case.status in (Status.RECOVERED, Status.CLOSED, Status.REJECTED):
            assert case.closed_at is not None
    assert len(set(Case.objects.values_list("tracking_code", flat=True))) == 600
    generated = snapshot()
    summaries_rebuild()
    assert snapshot() == generated
    province = Unit.objects.get(unit_set__code="gso-2021", code="08")
    total, _children = dashboard_figures(province)
    assert figures_dict(total) == direct_figures(province)


@pytest.mark.django_db
def test_a_bulk_load_rebuilds_the_indexes_it_dropped(units, settings, monkeypatch):
    from django.db import connection

    from demo import synthetic_load

    def index_names():
        with connection.cursor() as cursor:
            return {
                i
                for table in ("cases_case", "cases_caseevent")
                for i in connection.introspection.get_constraints(cursor, table)
            }

    before = index_names()
    monkeypatch.setattr(synthetic_load, "BULK_FROM", 100)
    settings.DEMO_MODE = True
    call_command("generate_cases", count=300, days=10, seed=3, batch_size=120, verbosity=0)
    assert index_names() == before
    assert Case.objects.count() == 300
    generated = snapshot()
    summaries_rebuild()
    assert snapshot() == generated


@pytest.mark.django_db
def test_generate_cases_is_refused_on_a_real_site_and_can_run_only_once(units, settings):
    from django.core.management.base import CommandError

    settings.DEMO_MODE = settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("generate_cases", count=10, verbosity=0)
    settings.DEMO_MODE = True
    call_command("generate_cases", count=10, days=3, if_empty=True, verbosity=0)
    call_command("generate_cases", count=10, days=3, if_empty=True, verbosity=0)
    assert Case.objects.count() == 10


@pytest.mark.django_db
def test_every_synthetic_document_event_has_its_document(units, settings, client):
    settings.DEMO_MODE = True
    call_command("generate_cases", count=600, days=25, seed=5, verbosity=0)
    documents = {d.pk: d for d in Document.objects.all()}
    issued_events = 0
    for case in Case.objects.prefetch_related("events"):
        kinds = [e.kind for e in case.events.all()]
        live = {d.kind: d for d in documents.values() if d.case_id == case.pk}
        if EventKind.ACCEPTED in kinds:
            assert "isolation_decision" in live
        if EventKind.RECOVERY_CONFIRMED in kinds:
            assert "recovery_confirmation" in live
        for event in case.events.all():
            if event.kind == EventKind.DOCUMENT_ISSUED:
                issued_events += 1
                document = documents[event.data["document_id"]]
                assert (document.case_id, document.kind) == (case.pk, event.data["kind"])
                assert document.is_issued and document.issued_at == event.at
    assert issued_events == Document.objects.filter(state="issued").count() > 0
    # Numbered per commune, kind and year from 1 without gaps, and the counters go on.
    for counter in DocumentCounter.objects.all():
        numbers = sorted(
            Document.objects.filter(
                commune=counter.commune, kind=counter.kind, year=counter.year
            ).values_list("number", flat=True)
        )
        assert numbers == list(range(1, counter.last_number + 1))

    # A synthetic document is shown as one: no PDF offered, not legally valid.
    document = Document.objects.filter(state="issued", case__commune=F("commune")).first()
    client.force_login(make_user("lanhdao", Role.COMMUNE_LEADER, document.commune.code))
    page = client.get(f"/office/cases/{document.case_id}/").content.decode()
    assert "Dữ liệu mô phỏng: không có tệp PDF." in page
    assert document.signed_with_dev_certificate
    assert client.get(f"/documents/{document.pk}/download/").status_code == 404


@pytest.mark.django_db
def test_copies_of_story_cases_are_new_people_in_the_same_places_and_states(units, settings):
    """Beyond the story cases, copies made by the database (cases_clone): as many as asked,
    each with its own code, phone and ID number, another case's name, its source's commune,
    day and status; the summaries of current state count them."""
    from reports.models import CommuneIsolationEnd, CommuneStatus, IsolatingCase, PendingDecision

    settings.DEMO_MODE = True
    call_command("generate_cases", count=1000, story=300, days=20, seed=9, verbosity=0)
    cases = list(Case.objects.order_by("pk"))
    assert len(cases) == 1000
    story, copies = cases[:300], cases[300:]
    assert len({c.tracking_code for c in cases}) == 1000
    open_ids = [c.id_number for c in cases if c.is_open and c.id_number]
    assert len(open_ids) == len(set(open_ids))
    by_pk = {c.pk: c for c in story}
    for copy in copies:
        source = by_pk[story[0].pk + (copy.pk - copies[0].pk) % 300]
        assert (copy.commune_id, copy.status, copy.submitted_at) == (
            source.commune_id,
            source.status,
            source.submitted_at,
        )
        assert copy.phone != source.phone and copy.phone[:3] == source.phone[:3]
        assert len(copy.id_number) == len(source.id_number)
        assert not copy.events.exists()
    # Names are drawn again: copies of one case do not share its name.
    assert (
        sum(
            c.full_name == by_pk[story[0].pk + (c.pk - copies[0].pk) % 300].full_name
            for c in copies
        )
        < 20
    )
    assert len({c.name_key for c in copies}) > 200
    # A copy is found by its code, ID number and name like any case.
    copy = copies[-1]
    assert Case.objects.get(tracking_code=copy.tracking_code) == copy
    if copy.id_number:
        assert Case.objects.filter(id_number=copy.id_number).count() == 1
    statuses = {}
    for case in cases:
        statuses[case.status] = statuses.get(case.status, 0) + 1
    counted = {}
    for row in CommuneStatus.objects.all():
        counted[row.status] = counted.get(row.status, 0) + row.count
    assert counted == statuses
    isolating = IsolatingCase.objects.count()
    assert isolating == Case.objects.filter(status__in=["accepted", "recovery_requested"]).count()
    assert sum(CommuneIsolationEnd.objects.values_list("count", flat=True)) == isolating
    assert PendingDecision.objects.filter(case__in=copies).count() == sum(
        PendingDecision.objects.filter(
            case=by_pk[story[0].pk + (c.pk - copies[0].pk) % 300]
        ).exists()
        for c in copies
    )
