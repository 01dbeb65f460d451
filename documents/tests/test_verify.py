import pytest
from django.urls import reverse

from documents.services import document_issue, document_revoke
from documents.tests.conftest import decision_of

pytestmark = pytest.mark.django_db


def verify(client, document):
    return client.get(reverse("public:verify", args=[document.verification_token]))


def test_the_page_shows_what_identifies_the_paper_and_nothing_personal(issued_decision, client):
    case = issued_decision.case
    page = verify(client, issued_decision).content.decode()
    assert "Văn bản có hiệu lực" in page
    assert "01/QĐ-UBND" in page
    assert issued_decision.issued_on.strftime("%d/%m/%Y") in page
    assert "Ủy ban nhân dân xã Tràng Đà" in page
    assert "Nguyễn T** H*** N****" in page
    # Issue 14 item 26: the commune's chairman issues the paper, not the software.
    said = " ".join(page.split())
    assert (
        f"Văn bản này do Chủ tịch Ủy ban nhân dân xã Tràng Đà ban hành "
        f"({issued_decision.signer_name} ký)" in said
    )
    assert "do hệ thống Khai báo F0 ban hành" not in said
    assert issued_decision.sha256 in page
    for secret in (case.full_name, case.id_number, case.phone, case.village):
        assert secret not in page
    assert case.date_of_birth.strftime("%d/%m/%Y") not in page


def test_a_development_signature_is_said_to_have_no_legal_value(issued_decision, client):
    assert issued_decision.signed_with_dev_certificate
    assert "không có giá trị pháp lý" in verify(client, issued_decision).content.decode()


def test_a_revoked_document_says_so_and_names_its_replacement(issued_decision, leader_a, client):
    document_revoke(document=issued_decision, by=leader_a, reason="Sai ngày sinh")
    page = verify(client, issued_decision).content.decode()
    assert "ĐÃ THU HỒI" in page and "Văn bản có hiệu lực" not in page
    assert "Sai ngày sinh" not in page  # the reason may be personal
    replacement = document_issue(document=decision_of(issued_decision.case), by=leader_a)
    page = verify(client, issued_decision).content.decode()
    assert f"số {replacement.number_label}" in page
    assert "Văn bản có hiệu lực" in verify(client, replacement).content.decode()


def test_unknown_tokens_and_drafts_are_not_found(accepted_case, client):
    assert client.get(reverse("public:verify", args=["khong-co-that"])).status_code == 404
    assert client.get(reverse("public:verify", args=["du-thao"])).status_code == 404
    assert decision_of(accepted_case).verification_token is None


def test_lookups_from_one_address_are_limited(issued_decision, client, settings):
    settings.RATELIMIT_ENABLED = True
    statuses = [
        client.get(reverse("public:verify", args=[f"doan-{i}"])).status_code for i in range(60)
    ]
    assert set(statuses) == {404}
    assert verify(client, issued_decision).status_code == 429
