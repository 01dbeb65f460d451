"""A correction after issuing (issue 14, item 2): it names the issued documents it makes
untrue and offers revoke-and-replace in the same step; the replacement states the number
and date of the one it replaces."""

import pytest
from django.urls import reverse

from backoffice.tests.test_two_officials import correction_form
from documents.models import Document
from documents.rendering import vn_date
from documents.services import document_issue
from documents.tests.conftest import accept, decision_of
from documents.tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def read(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def issued(commune_a, officer_a, leader_a):
    case = accept(commune_a, officer_a, full_name="Nguyễn Thi Hoa")
    return document_issue(document=decision_of(case), by=leader_a)


def test_a_name_corrected_after_issuing_asks_what_becomes_of_the_decision(
    client, login, leader_a, issued
):
    case = issued.case
    login(leader_a)
    form = correction_form(client, case)
    assert (
        issued.number_label
        in client.get(reverse("backoffice:case_correct", args=[case.pk])).content.decode()
    )
    form.update(full_name="Nguyễn Thị Hoa", reason="Sai dấu trong tên")

    response = client.post(reverse("backoffice:case_correct", args=[case.pk]), form)

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Quyết định cách ly y tế tại nhà số {issued.number_label}" in html
    assert "Sai dấu trong tên" in html and "Nguyễn Thị Hoa" in html  # nothing typed lost
    case.refresh_from_db()
    assert case.full_name == "Nguyễn Thi Hoa"
    issued.refresh_from_db()
    assert issued.is_issued


def test_revoke_and_replace_in_the_same_step_and_the_replacement_says_what_it_replaces(
    client, login, leader_a, issued
):
    case = issued.case
    login(leader_a)
    form = correction_form(client, case)
    form.update(full_name="Nguyễn Thị Hoa", reason="Sai dấu trong tên", documents_action="replace")

    response = client.post(reverse("backoffice:case_correct", args=[case.pk]), form, follow=True)

    assert "Đã thu hồi 1 văn bản" in response.content.decode()
    issued.refresh_from_db()
    assert issued.state == Document.State.REVOKED
    assert "Sai dấu trong tên" in issued.revocation_reason
    replacement = decision_of(case)
    assert replacement.is_prepared and replacement.replaces_id == issued.pk
    new = document_issue(document=replacement, by=leader_a)
    text = pdf_text(read(new))
    assert "Họ và tên: Nguyễn Thị Hoa" in text
    # Read without the line breaks: a number may wrap at its hyphen.
    replacing = (
        f"có hiệu lực kể từ ngày ký và thay thế Quyết định số {issued.number_label} ngày "
        f"{vn_date(issued.issued_on)} của Chủ tịch Ủy ban nhân dân xã Tràng Đà."
    )
    assert "".join(replacing.split()) in "".join(text.split())
    assert new.number_label != issued.number_label


def test_an_officer_who_may_not_revoke_corrects_and_leaves_the_replacement_to_the_leader(
    client, login, officer_a, issued
):
    case = issued.case
    login(officer_a)
    form = correction_form(client, case)
    form.update(full_name="Nguyễn Thị Hoa", reason="Sai dấu", documents_action="replace")
    refused = client.post(reverse("backoffice:case_correct", args=[case.pk]), form)
    assert refused.status_code == 200 and "Chỉ lãnh đạo xã thu hồi được" in refused.content.decode()

    form["documents_action"] = "later"
    done = client.post(reverse("backoffice:case_correct", args=[case.pk]), form, follow=True)
    assert "còn in thông tin cũ" in done.content.decode()
    case.refresh_from_db()
    issued.refresh_from_db()
    assert (case.full_name, issued.state) == ("Nguyễn Thị Hoa", Document.State.ISSUED)
    # The case page says so, where the leader revokes it.
    assert (
        "Văn bản này in thông tin cũ"
        in client.get(reverse("backoffice:case", args=[case.pk])).content.decode()
    )


def test_a_correction_the_decision_does_not_state_asks_nothing(client, login, leader_a, issued):
    case = issued.case
    login(leader_a)
    form = correction_form(client, case)
    form.update(phone="0987000002", reason="Đổi số")
    assert client.post(reverse("backoffice:case_correct", args=[case.pk]), form).status_code == 302
    issued.refresh_from_db()
    assert issued.is_issued
