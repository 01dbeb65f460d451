import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from audit.models import AuditEntry
from cases.choices import EventKind
from cases.services import case_close
from documents import signing
from documents.models import Document, DocumentTemplateSettings
from documents.rendering import vn_date
from documents.selectors import pending_documents
from documents.services import document_issue
from documents.tests.conftest import accept, confirmation_of, decision_of
from documents.tests.pdf import page_count, pdf_text, qr_payloads
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def read(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def test_accepting_a_case_prepares_its_decision(accepted_case, officer_a):
    document = decision_of(accepted_case)
    assert document.state == Document.State.PREPARED
    assert document.number is None and not document.file
    assert document.prepared_by == officer_a
    assert document.data["person"]["full_name"] == "Nguyễn Thị Hồng Nhung"
    # The acceptance event says it; the timeline gets no extra line.
    assert not accepted_case.events.filter(kind=EventKind.DOCUMENT_PREPARED).exists()


def test_the_leader_issues_a_decision_that_reads_right(accepted_case, leader_a):
    document = document_issue(document=decision_of(accepted_case), by=leader_a)

    assert document.state == Document.State.ISSUED
    assert document.number_label == "01/QĐ-UBND"
    pdf = read(document)
    assert hashlib.sha256(pdf).hexdigest() == document.sha256
    text = pdf_text(pdf)
    case = accepted_case
    assert "Số: 01/QĐ-UBND" in text
    assert "ỦY BAN NHÂN DÂN XÃ TRÀNG ĐÀ" in text
    assert f"Tràng Đà, ngày {timezone.localdate().day:02d}" in text
    assert "Họ và tên: Nguyễn Thị Hồng Nhung" in text
    assert (
        f"từ ngày {vn_date(case.positive_test_date)} đến hết ngày {vn_date(case.isolation_end)}"
        in (text)
    )
    assert f"tiếp tục cách ly đến hết ngày {vn_date(case.extended_isolation_end)}" in text
    assert "Thôn Cầu Bâm, xã Tràng Đà, thành phố Tuyên Quang, tỉnh Tuyên Quang" in text
    assert "Trung tâm Y tế thành phố Tuyên Quang" in text  # {huyen} filled in
    assert "Trang" not in text  # Decree 30: no footer; page numbers at the top from page 2
    assert "BẢN THỬ NGHIỆM" in text and document.signed_with_dev_certificate
    # Two pages at most; the signing block on the last, with Điều 3 (Decree 30).
    assert page_count(pdf) <= 2


def test_the_issued_pdf_signature_validates_with_pyhanko(issued_decision):
    signature = PdfFileReader(io.BytesIO(read(issued_decision))).embedded_signatures[0]
    context = ValidationContext(trust_roots=[signing.dev_ca_certificate()])
    status = validate_pdf_signature(signature, context)
    assert status.intact and status.valid and status.trusted


def test_the_qr_code_leads_to_a_verification_page_that_says_valid(
    issued_decision, client, tmp_path
):
    url = issued_decision.data["verification_url"]
    assert url.endswith(f"/v/{issued_decision.verification_token}/")
    assert qr_payloads(read(issued_decision), tmp_path) == [url]
    response = client.get(reverse("public:verify", args=[issued_decision.verification_token]))
    assert response.status_code == 200
    assert "Văn bản có hiệu lực" in response.content.decode()


def test_issuing_records_a_public_event_an_audit_entry_and_tells_the_citizen(
    issued_decision, leader_a
):
    event = issued_decision.case.events.get(kind=EventKind.DOCUMENT_ISSUED)
    assert event.public and event.actor == leader_a
    assert "01/QĐ-UBND" in event.message
    entry = AuditEntry.objects.get(action="document.issue", object_id=str(issued_decision.pk))
    assert entry.actor == leader_a
    sms = Notification.objects.get(kind="decision_issued", channel="sms")
    assert issued_decision.case.tracking_code in sms.body


def test_an_officer_cannot_issue_where_the_leader_must(accepted_case, officer_a):
    with pytest.raises(PermissionDenied):
        document_issue(document=decision_of(accepted_case), by=officer_a)
    assert decision_of(accepted_case).state == Document.State.PREPARED


def test_an_officer_issues_where_the_commune_works_in_one_step(accepted_case, officer_a, commune_a):
    DocumentTemplateSettings.objects.create(
        unit=commune_a,
        legal_bases=["Căn cứ Luật Phòng, chống bệnh truyền nhiễm"],
        decision_recipients=["Như Điều 3"],
        leader_must_issue=False,
    )
    document = document_issue(document=decision_of(accepted_case), by=officer_a)
    assert document.number_label == "01/QĐ-UBND"


def test_nobody_outside_the_commune_issues(accepted_case, leader_b, district_staff):
    for outsider in (leader_b, district_staff):
        with pytest.raises(PermissionDenied):
            document_issue(document=decision_of(accepted_case), by=outsider)


def test_a_document_is_issued_once(issued_decision, leader_a):
    with pytest.raises(ValidationError, match="đã được ban hành"):
        document_issue(document=issued_decision, by=leader_a)


def test_an_issued_document_cannot_be_edited_or_deleted(issued_decision):
    issued_decision.signer_name = "Người khác"
    with pytest.raises(ValidationError):
        issued_decision.save()
    with pytest.raises(ValidationError):
        issued_decision.delete()
    assert Document.objects.get(pk=issued_decision.pk).signer_name != "Người khác"


def test_a_closed_case_gets_no_decision(accepted_case, officer_a, leader_a):
    draft = decision_of(accepted_case)
    case_close(case=accepted_case, by=officer_a, outcome="hospitalised")
    assert not Document.objects.filter(pk=draft.pk).exists()
    assert not pending_documents(leader_a).exists()


def test_recovery_confirmation_refers_to_the_decision(recovered_case, leader_a):
    decision = decision_of(recovered_case)
    document = document_issue(document=confirmation_of(recovered_case), by=leader_a)
    assert document.number_label == "01/GXN-UBND"  # a series of its own
    text = pdf_text(read(document))
    assert "Số: 01/GXN-UBND" in text
    assert f"theo Quyết định số {decision.number_label} ngày {vn_date(decision.issued_on)}" in text
    assert "Họ và tên: Trần Văn Bình" in text
    negative = recovered_case.recovery_declarations.get().negative_test_date
    assert f"Kết quả xét nghiệm ngày {vn_date(negative)}: âm tính" in text
    assert "Nơi làm việc: Công ty May Tuyên Quang" in text
    assert Notification.objects.filter(kind="recovery_confirmed").exists()


def test_a_confirmation_waits_for_the_decision(commune_a, officer_a, leader_a):
    from datetime import timedelta

    from documents.tests.conftest import recover

    case = accept(commune_a, officer_a, positive_test_date=timezone.localdate() - timedelta(days=8))
    recover(case, officer_a)
    with pytest.raises(ValidationError, match="cần ban hành quyết định trước"):
        document_issue(document=confirmation_of(case), by=leader_a)
    document_issue(document=decision_of(case), by=leader_a)
    assert document_issue(document=confirmation_of(case), by=leader_a).is_issued


def test_a_required_certificate_that_is_missing_stops_issuing_with_a_clear_reason(
    accepted_case, leader_a, settings
):
    settings.SIGNING_REQUIRE_CERTIFICATE = True
    signing.forget_signers()
    try:
        with pytest.raises(ValidationError, match="Chưa có chứng thư số cho xã 02209"):
            document_issue(document=decision_of(accepted_case), by=leader_a)
    finally:
        signing.forget_signers()
    assert decision_of(accepted_case).is_prepared


def test_a_transferred_case_gets_its_decision_from_the_new_commune(
    accepted_case, officer_a, leader_a, officer_b, leader_b, commune_b
):
    from cases.services import case_accept, case_transfer

    draft = decision_of(accepted_case)
    case_transfer(case=accepted_case, by=officer_a, to_commune=commune_b, note="Ở nhà con gái")
    assert not Document.objects.filter(pk=draft.pk).exists()  # commune A cannot issue it
    case_accept(case=accepted_case, by=officer_b)
    document = decision_of(accepted_case)
    assert document.commune == commune_b
    issued = document_issue(document=document, by=leader_b)
    assert issued.number_label == "01/QĐ-UBND"
    assert "ỦY BAN NHÂN DÂN THỊ TRẤN SƠN DƯƠNG" in pdf_text(read(issued))


def test_recovery_confirmed_after_the_longest_period_without_a_negative_test(
    commune_a, officer_a, leader_a
):
    from datetime import timedelta

    from cases.services import case_confirm_recovery

    case = accept(
        commune_a, officer_a, positive_test_date=timezone.localdate() - timedelta(days=10)
    )
    document_issue(document=decision_of(case), by=leader_a, confirm_past_period=True)
    case_confirm_recovery(case=case, by=officer_a)
    text = pdf_text(read(document_issue(document=confirmation_of(case), by=leader_a)))
    assert "Đã cách ly đủ thời gian tối đa" in text
    assert f"đến hết ngày {vn_date(case.extended_isolation_end)}" in text
    assert "âm tính với SARS-CoV-2" not in text
