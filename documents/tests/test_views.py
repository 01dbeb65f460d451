import pytest
from django.urls import reverse

from audit.models import AuditEntry
from documents.models import Document
from documents.services import document_issue
from documents.tests.conftest import decision_of
from documents.tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return b"".join(
        response.streaming_content if response.streaming else [response.content]
    ).decode("latin-1")


def pdf_of(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def urls(issued_decision):
    pk, case_pk = issued_decision.pk, issued_decision.case_id
    return {
        "case": reverse("backoffice:case", args=[case_pk]),
        "download": reverse("documents:download", args=[pk]),
        "preview": reverse("documents:preview", args=[pk]),
        "issue": reverse("documents:issue", args=[pk]),
        "revoke": reverse("documents:revoke", args=[pk]),
        "prepare": reverse("documents:prepare", args=[case_pk, "isolation_decision"]),
    }


@pytest.mark.parametrize("persona", ["officer_b", "leader_b", "district_other"])
def test_outsiders_get_404_on_the_case_documents(persona, urls, login, request, client):
    login(request.getfixturevalue(persona))
    for name in ("case", "download", "preview"):
        assert client.get(urls[name]).status_code == 404, name
    if persona != "district_other":  # monitoring roles are refused before the lookup
        for name in ("issue", "revoke", "prepare"):
            assert client.post(urls[name], {"reason": "x"}).status_code == 404, name


def test_staff_of_the_district_read_but_do_not_act(urls, login, district_staff, client):
    login(district_staff)
    assert client.get(urls["case"]).status_code == 200
    response = client.get(urls["download"])
    assert response.status_code == 200 and pdf_of(response).startswith(b"%PDF")
    for name in ("issue", "revoke", "prepare"):
        assert client.post(urls[name], {"reason": "x"}).status_code == 403, name
    assert Document.objects.get().is_issued


def test_province_health_reads_and_the_system_administrator_does_not(
    urls, login, province_health, sysadmin, client
):
    login(province_health)
    assert client.get(urls["download"]).status_code == 200
    login(sysadmin)
    assert client.get(urls["download"]).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(urls, client):
    response = client.get(urls["download"])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_every_download_is_audited(issued_decision, urls, login, district_staff, client):
    login(district_staff)
    response = client.get(urls["download"])
    assert pdf_of(response) == issued_decision.file.open("rb").read()
    assert 'filename="quyet-dinh-01-' in response["Content-Disposition"]
    entry = AuditEntry.objects.get(action="document.download")
    assert entry.actor == district_staff and entry.object_id == str(issued_decision.pk)


def test_the_leader_issues_from_the_case_page(accepted_case, login, leader_a, client):
    document = decision_of(accepted_case)
    login(leader_a)
    page = client.get(reverse("backoffice:case", args=[accepted_case.pk]))
    assert "Xem lại và ký ban hành" in page.content.decode()
    next_url = reverse("backoffice:case", args=[accepted_case.pk])
    response = client.post(
        reverse("documents:issue", args=[document.pk]), {"next": next_url, "confirm": "1"}
    )
    assert response.status_code == 302 and response["Location"] == next_url
    assert Document.objects.get(pk=document.pk).number_label == "01/QĐ-UBND"


def test_in_two_steps_the_officer_sees_the_draft_but_cannot_issue(
    accepted_case, login, officer_a, client
):
    document = decision_of(accepted_case)
    login(officer_a)
    page = client.get(reverse("backoffice:case", args=[accepted_case.pk])).content
    assert "Chờ lãnh đạo xã ban hành." in page.decode()
    draft = client.get(reverse("documents:preview", args=[document.pk]))
    text = pdf_text(draft.content)
    assert "DỰ THẢO" in text and "Số: ……/QĐ-UBND" in text
    assert client.post(reverse("documents:issue", args=[document.pk])).status_code == 403
    assert Document.objects.get(pk=document.pk).is_prepared


def test_revoking_needs_a_reason_and_prepares_the_replacement(
    issued_decision, urls, login, leader_a, client
):
    login(leader_a)
    response = client.post(urls["revoke"], {"reason": " ", "prepare_replacement": "on"})
    assert response.status_code == 200
    assert "Vui lòng ghi lý do thu hồi văn bản." in response.content.decode()

    client.post(urls["revoke"], {"reason": "Sai ngày sinh", "prepare_replacement": "on"})
    revoked = Document.objects.get(pk=issued_decision.pk)
    assert revoked.is_revoked and revoked.revocation_reason == "Sai ngày sinh"
    replacement = Document.objects.get(replaces=revoked)
    assert replacement.is_prepared
    assert AuditEntry.objects.filter(action="document.revoke", actor=leader_a).exists()
    event = revoked.case.events.get(kind="document_revoked")
    assert event.public and "Sai ngày sinh" in event.message
    # Staff can still open the revoked file; its number is never given again.
    assert client.get(urls["download"]).status_code == 200
    assert document_issue(document=replacement, by=leader_a).number_label == "02/QĐ-UBND"


def test_a_revoked_document_cannot_be_issued_or_revoked_again(
    issued_decision, urls, login, leader_a, client
):
    login(leader_a)
    client.post(urls["revoke"], {"reason": "Nhầm người"})
    assert not Document.objects.filter(replaces=issued_decision).exists()
    client.post(urls["revoke"], {"reason": "Lần nữa"})
    assert Document.objects.get(pk=issued_decision.pk).revocation_reason == "Nhầm người"
    client.post(urls["issue"])
    assert Document.objects.get(pk=issued_decision.pk).is_revoked


def test_a_missing_document_can_be_prepared_again(issued_decision, urls, login, leader_a, client):
    login(leader_a)
    client.post(urls["revoke"], {"reason": "Sai địa chỉ"})
    page = client.get(urls["case"]).content.decode()
    assert "Dự thảo quyết định cách ly y tế tại nhà" in page
    client.post(urls["prepare"])
    prepared = Document.objects.get(case_id=issued_decision.case_id, state="prepared")
    assert prepared.replaces_id == issued_decision.pk


def test_only_pages_of_this_site_are_returned_to(issued_decision, urls, login, leader_a, client):
    login(leader_a)
    page = client.get(urls["revoke"] + "?next=javascript:alert(1)").content.decode()
    assert 'href="javascript:' not in page and 'value="javascript:' not in page
    response = client.post(urls["revoke"], {"reason": "Sai", "next": "https://evil.example/"})
    assert response["Location"] == reverse("backoffice:case", args=[issued_decision.case_id])
