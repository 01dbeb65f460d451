import pytest
from django.urls import reverse

from audit.models import AuditEntry
from documents.services import document_revoke
from documents.tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def prove_access(client, case):
    session = client.session
    session["citizen_cases"] = [case.pk]
    session.save()


def download_url(document):
    return reverse("public:citizen_download", args=[document.verification_token])


def test_the_download_needs_the_proof_of_access_kept_in_the_session(issued_decision, client):
    assert client.get(download_url(issued_decision)).status_code == 404
    prove_access(client, issued_decision.case)
    response = client.get(download_url(issued_decision))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Số: 01/QĐ-UBND" in pdf_text(b"".join(response.streaming_content))
    assert AuditEntry.objects.filter(action="document.citizen_download").exists()


def test_another_case_in_the_session_is_no_proof(issued_decision, commune_a, officer_a, client):
    from documents.tests.conftest import accept

    other = accept(commune_a, officer_a)
    prove_access(client, other)
    assert client.get(download_url(issued_decision)).status_code == 404


def test_the_status_page_lists_issued_documents_with_their_download(issued_decision, client):
    case = issued_decision.case
    prove_access(client, case)
    page = client.get(reverse("public:status_case", args=[case.tracking_code])).content.decode()
    assert "Văn bản của bạn" in page
    assert "Số 01/QĐ-UBND" in page
    assert download_url(issued_decision) in page


def test_a_revoked_document_is_marked_and_no_longer_offered(issued_decision, leader_a, client):
    document_revoke(document=issued_decision, by=leader_a, reason="Sai ngày sinh")
    case = issued_decision.case
    prove_access(client, case)
    page = client.get(reverse("public:status_case", args=[case.tracking_code])).content.decode()
    assert "ĐÃ THU HỒI" in page
    assert download_url(issued_decision) not in page
    assert client.get(download_url(issued_decision)).status_code == 404


def test_a_prepared_document_is_not_shown_to_the_citizen(accepted_case, client):
    prove_access(client, accepted_case)
    page = client.get(reverse("public:status_case", args=[accepted_case.tracking_code]))
    assert "Văn bản của bạn" not in page.content.decode()
