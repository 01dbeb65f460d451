"""Issue 14 item 3: every path through the lifecycle ends in the documents it promises.

Recovery confirmed before the decision was issued offers to issue both, in order; a
decision for an isolation period already over is issued only once the issuer confirms it.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.choices import Status
from documents.models import Document, Kind
from documents.services import document_issue
from documents.tests.conftest import accept, confirmation_of, decision_of, recover
from documents.tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def read(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def recovered_without_decision(commune_a, officer_a):
    """Positive 20 days ago, recovery confirmed by the officer, the decision never issued."""
    case = accept(
        commune_a,
        officer_a,
        full_name="Đỗ Thị Lụa",
        positive_test_date=timezone.localdate() - timedelta(days=20),
    )
    return recover(case, officer_a)


def test_a_decision_for_a_period_already_over_needs_an_explicit_confirmation(
    commune_a, officer_a, leader_a, login, client
):
    case = accept(
        commune_a, officer_a, positive_test_date=timezone.localdate() - timedelta(days=20)
    )
    decision = decision_of(case)
    with pytest.raises(ValidationError) as refused:
        document_issue(document=decision, by=leader_a)
    assert refused.value.code == "period_over"

    login(leader_a)
    url = reverse("documents:issue", args=[decision.pk])
    assert url in client.get(reverse("backoffice:case", args=[case.pk])).content.decode()
    page = client.get(url).content.decode()  # the review before signing
    start = case.positive_test_date.strftime("%d/%m/%Y")
    end = case.extended_isolation_end.strftime("%d/%m/%Y")
    assert f"Thời gian cách ly (từ ngày {start} đến hết ngày {end}) đã qua" in page
    assert 'name="confirm_past_period"' in page

    page = client.post(url, {"next": "", "confirm": "1"}, follow=True).content.decode()
    assert "đã qua: quyết định ban hành hôm nay sẽ quyết định cách ly" in page
    assert decision_of(case).is_prepared

    client.post(url, {"confirm": "1", "confirm_past_period": "on"})
    assert decision_of(case).is_issued


def test_a_decision_still_within_its_period_is_issued_without_a_question(accepted_case, leader_a):
    assert document_issue(document=decision_of(accepted_case), by=leader_a).is_issued


def test_recovery_confirmed_without_a_decision_offers_both_in_order(
    recovered_without_decision, officer_a, leader_a, login, client
):
    case = recovered_without_decision
    assert case.status == Status.RECOVERED
    case_url = reverse("backoffice:case", args=[case.pk])

    login(officer_a)
    page = client.get(case_url).content.decode()
    assert (
        "Chờ lãnh đạo xã ban hành quyết định cách ly rồi giấy xác nhận hoàn thành cách ly" in page
    )

    login(leader_a)
    page = client.get(case_url).content.decode()
    assert "Ban hành quyết định rồi giấy xác nhận hoàn thành cách ly" in page
    in_order = reverse("documents:issue_in_order", args=[case.pk])
    assert in_order in page

    client.post(in_order, {})  # the period is over: not without the confirmation
    assert not Document.objects.filter(case=case, state=Document.State.ISSUED).exists()

    page = client.post(in_order, {"confirm_past_period": "on"}, follow=True).content.decode()
    decision, confirmation = decision_of(case), confirmation_of(case)
    assert decision.is_issued and confirmation.is_issued
    assert decision.issued_at <= confirmation.issued_at
    assert f"{decision.number_label}, {confirmation.number_label}" in page
    text = pdf_text(read(confirmation))
    assert f"theo Quyết định số {decision.number_label}" in text


def test_issuing_in_order_prepares_a_decision_that_was_revoked_without_replacement(
    recovered_case, leader_a, login, client
):
    from documents.services import document_revoke

    decision = Document.objects.get(
        case=recovered_case, kind=Kind.ISOLATION_DECISION, state=Document.State.ISSUED
    )
    document_revoke(document=decision, by=leader_a, reason="Sai ngày", prepare_replacement=False)
    login(leader_a)
    client.post(
        reverse("documents:issue_in_order", args=[recovered_case.pk]),
        {"confirm_past_period": "on"},
    )
    replacement = decision_of(recovered_case)
    assert replacement.is_issued and replacement.replaces == decision
    assert confirmation_of(recovered_case).is_issued


def test_a_batch_issues_a_past_period_decision_only_when_confirmed(
    commune_a, officer_a, leader_a, login, client, django_capture_on_commit_callbacks
):
    from jobs.models import BulkJob

    old = accept(
        commune_a,
        officer_a,
        full_name="Lò Văn Pọm",
        positive_test_date=timezone.localdate() - timedelta(days=20),
    )
    current = accept(commune_a, officer_a, full_name="Mai Thị Xuân")
    login(leader_a)
    page = client.get(reverse("documents:pending")).content.decode()
    assert "thời gian cách ly đã qua" in page and 'name="confirm_past_period"' in page

    client.post(reverse("documents:batch_create"), {"all_pending": "1"})
    job = BulkJob.objects.get()  # a preview: nothing signed until confirmed
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents:batch_confirm", args=[job.pk]), {"confirm": "1"})
    job.refresh_from_db()
    assert (job.done, job.failed) == (1, 1)
    assert decision_of(current).is_issued and decision_of(old).is_prepared
    page = client.get(reverse("documents:batch", args=[job.pk])).content.decode()
    assert old.tracking_code in page and "đã qua: quyết định ban hành hôm nay" in page

    client.post(
        reverse("documents:batch_create"), {"all_pending": "1", "confirm_past_period": "on"}
    )
    again = BulkJob.objects.exclude(pk=job.pk).get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents:batch_confirm", args=[again.pk]), {"confirm": "1"})
    assert decision_of(old).is_issued
