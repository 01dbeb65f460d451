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
