"""What happens to a case's documents when the case changes under them (issue 14): a
transfer takes none of the old commune's documents along (item 15), a case that ends
discards its drafts (item 16), and a replacing document says which one it replaces."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.choices import EventKind, Status
from cases.models import Case, CaseEvent
from cases.retention import cases_purge_personal_data
from cases.services import case_accept, case_reject, case_transfer
from cases.testing import at_once, make_case
from documents.models import Document, Kind
from documents.rendering import vn_date
from documents.selectors import pending_documents
from documents.services import document_issue
from documents.tests.conftest import accept, decision_of
from documents.tests.pdf import pdf_text

REPEAT = 6


def read(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


# Item 16 -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_case_closed_before_its_decision_leaves_no_draft_in_the_queue(
    client, login, commune_a, officer_a, leader_a
):
    case = accept(commune_a, officer_a, full_name="Lý Thị Mai")
    assert pending_documents(leader_a).count() == 1
    login(officer_a)
    client.post(
        reverse("backoffice:case_close", args=[case.pk]),
        {"outcome": "hospitalised", "note": "", "version": Case.objects.get(pk=case.pk).version},
    )

    assert Case.objects.get(pk=case.pk).status == Status.CLOSED
    assert not pending_documents(leader_a).exists()
    assert not Document.objects.filter(case=case).exists()
    login(leader_a)
    assert "Lý Thị Mai" not in client.get(reverse("documents:pending")).content.decode()


@pytest.mark.django_db
def test_the_purge_clears_a_draft_left_on_an_ended_case(commune_a, officer_a):
    case = make_case(commune_a, full_name="Đỗ Văn Tâm", id_number="008090001111")
    case = case_reject(case=case, by=officer_a, reason="duplicate")
    # A draft stranded before drafts were discarded at the step itself.
    Document.objects.create(
        case=case,
        kind=Kind.ISOLATION_DECISION,
        commune=commune_a,
        data={"person": {"full_name": "Đỗ Văn Tâm", "id_number": "008090001111"}},
    )

    cases_purge_personal_data(closed_before=timezone.now() + timedelta(days=1))

    assert not Document.objects.filter(case=case).exists()
    assert Case.objects.get(pk=case.pk).full_name != "Đỗ Văn Tâm"


# Item 15 -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_transfer_revokes_the_issued_decision_and_the_new_commune_issues_one_replacing_it(
    client, login, commune_a, commune_b, officer_a, leader_a, officer_b, leader_b
):
    case = accept(commune_a, officer_a, full_name="Hoàng Văn Nam")
    old = document_issue(document=decision_of(case), by=leader_a)

    # The officer may not undo the leader's signature: the transfer is refused, nothing moves.
    login(officer_a)
    version = Case.objects.get(pk=case.pk).version
    data = {"to_commune": commune_b.pk, "note": "Về ở với con trai", "version": version}
    refused = client.post(reverse("backoffice:case_transfer", args=[case.pk]), data)
    assert refused.status_code == 200
    assert old.number_label in refused.content.decode()
    assert Case.objects.get(pk=case.pk).commune_id == commune_a.pk

    login(leader_a)
    client.post(reverse("backoffice:case_transfer", args=[case.pk]), data)

    old.refresh_from_db()
    assert Case.objects.get(pk=case.pk).commune_id == commune_b.pk
    assert old.state == Document.State.REVOKED
    assert "Về ở với con trai" in old.revocation_reason
    assert CaseEvent.objects.filter(case=case, kind=EventKind.DOCUMENT_REVOKED).count() == 1

    case_accept(case=case, by=officer_b)
    new = document_issue(document=decision_of(case), by=leader_b)
    assert new.replaces_id == old.pk
    text = pdf_text(read(new))
    # Read without the line breaks: a number may wrap at its hyphen.
    replacing = (
        f"có hiệu lực kể từ ngày ký và thay thế Quyết định số {old.number_label} ngày "
        f"{vn_date(old.issued_on)} của Chủ tịch Ủy ban nhân dân xã Tràng Đà."
    )
    assert "".join(replacing.split()) in "".join(text.split())
    assert "THỊ TRẤN SƠN DƯƠNG" in text


@pytest.mark.django_db(transaction=True)
def test_issuing_and_transferring_at_once_never_leaves_the_old_communes_decision_in_force(
    commune_a, commune_b, officer_a, leader_a, seeded_rules
):
    for round_ in range(REPEAT):
        case = accept(commune_a, officer_a, full_name=f"Người Thứ {round_}")
        draft = decision_of(case)
        issuer, mover = Client(), Client()
        for session in (issuer, mover):
            session.force_login(leader_a, backend="django.contrib.auth.backends.ModelBackend")
        version = Case.objects.get(pk=case.pk).version
        issued, transferred = at_once(
            lambda d=draft, s=issuer: s.post(
                reverse("documents:issue", args=[d.pk]), {"confirm": "1"}
            ),
            lambda c=case, v=version, s=mover: s.post(
                reverse("backoffice:case_transfer", args=[c.pk]),
                {"to_commune": commune_b.pk, "note": "Chuyển chỗ ở", "version": v},
            ),
        )

        assert transferred.status_code == 302
        # The issue click that comes second finds no draft of commune A any more (a 404 from
        # the issue view, which does not say where the case went yet) or is refused.
        assert issued.status_code in (302, 404)
        case.refresh_from_db()
        assert case.commune_id == commune_b.pk
        # Whichever came first, commune A has no decision in force for a case now in B.
        assert not Document.objects.filter(
            case=case, commune=commune_a, state__in=[Document.State.ISSUED, Document.State.PREPARED]
        ).exists()


@pytest.mark.django_db
def test_transferring_a_case_without_an_issued_decision_discards_the_old_draft(
    commune_a, commune_b, officer_a, officer_b
):
    case = accept(commune_a, officer_a)
    case_transfer(case=case, by=officer_a, to_commune=commune_b, note="Ở xã khác")
    assert not Document.objects.filter(case=case).exists()
    case_accept(case=case, by=officer_b)
    new = decision_of(case)
    assert (new.commune_id, new.replaces_id) == (commune_b.pk, None)
