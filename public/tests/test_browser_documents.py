"""A declaration from the public form becomes a signed decision and, later, a signed recovery
confirmation; the QR code's page and the citizen's download work on a phone."""

import io
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from accounts.testing import browser_sign_in, make_user
from cases.models import Case
from cases.services import case_request_recovery
from documents.tests.pdf import pdf_text, qr_payloads
from public.tests.flow import declare

pytestmark = [pytest.mark.browser]

ID_NUMBER = "008190777888"


def fetch_pdf(page, href: str) -> bytes:
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    return response.body()


def signature_is_valid(pdf: bytes) -> bool:
    """pyHanko validates with asyncio.run: off Playwright's thread."""

    def validate():
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext

        from documents.signing import dev_ca_certificate

        signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
        context = ValidationContext(trust_roots=[dev_ca_certificate()])
        status = validate_pdf_signature(signature, context)
        return status.intact and status.valid and status.trusted

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(validate).result()


def snapshot(pdf: bytes, path) -> None:
    """Keep the first page as PNG next to the test's other files, for people to look at."""
    if shutil.which("pdftoppm"):
        path.with_suffix(".pdf").write_bytes(pdf)
        command = ["pdftoppm", "-r", "80", "-png", "-singlefile", path.with_suffix(".pdf"), path]
        subprocess.run(command, check=True)  # noqa: S603


def test_decision_and_confirmation_from_declaration_to_verification(
    phone_page, seeded_rules, live_server, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    page = phone_page
    officer = make_user("canbo.trangda", "commune_officer", "02209")
    leader = make_user("chutich.trangda", "commune_leader", "02209")
    leader.full_name = "Hoàng Thị Lan"
    leader.save()
    tested = timezone.localdate() - timedelta(days=6)
    declare(
        Client(),
        full_name="Trần Thị Mai",
        id_number=ID_NUMBER,
        positive_test_date=tested.isoformat(),
    )
    case = Case.objects.get()

    # The officer accepts; the decision is prepared and waits for the leader.
    browser_sign_in(page, officer)
    page.goto(f"/office/cases/{case.pk}/")
    page.get_by_role("button", name="Tiếp nhận, bắt đầu cách ly").click()
    panel = page.get_by_test_id("case-documents")
    expect(panel.get_by_text("Chờ lãnh đạo xã ban hành.")).to_be_visible()
    expect(panel.get_by_role("link", name="Xem lại và ký ban hành")).to_have_count(0)

    # The leader issues it from the case page.
    browser_sign_in(page, leader)
    page.goto(f"/office/cases/{case.pk}/")
    page.get_by_test_id("case-documents").get_by_role("link", name="Xem lại và ký ban hành").click()
    page.get_by_test_id("sign-confirm").click()  # what will be signed, then signed
    issued = "Đã ký và ban hành quyết định cách ly y tế tại nhà số 01/QĐ-UBND."
    expect(page.get_by_text(issued)).to_be_visible()
    page.get_by_test_id("case-documents").screenshot(path=tmp_path / "case-documents.png")
    link = page.get_by_test_id("case-documents").get_by_role("link", name="Tải về (PDF)")
    decision = fetch_pdf(page, link.get_attribute("href"))
    text = pdf_text(decision)
    assert "Số: 01/QĐ-UBND" in text and "Họ và tên: Trần Thị Mai" in text
    assert f"từ ngày {tested:%d/%m/%Y} đến hết ngày {timezone.localdate():%d/%m/%Y}" in text
    assert "ỦY BAN NHÂN DÂN XÃ TRÀNG ĐÀ" in text and "Hoàng Thị Lan" in text
    assert signature_is_valid(decision)
    snapshot(decision, tmp_path / "decision")

    # Its QR code opens the verification page, which says it is valid.
    (url,) = qr_payloads(decision, tmp_path)
    assert url.startswith(f"{live_server.url}/v/")
    page.context.clear_cookies()
    page.goto(url)
    expect(page.get_by_test_id("verify-status").get_by_text("Văn bản có hiệu lực")).to_be_visible()
    assert page.get_by_test_id("verify-holder").inner_text() == "Trần T** M**"
    assert ID_NUMBER not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=tmp_path / "verify.png", full_page=True)

    # The citizen looks the case up and downloads the decision.
    page.goto("/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(case.tracking_code)
    page.get_by_label("Số giấy tờ đã khai báo").fill(ID_NUMBER)
    page.get_by_role("button", name="Tra cứu").click()
    documents = page.get_by_test_id("citizen-documents")
    expect(documents.get_by_text("Số 01/QĐ-UBND")).to_be_visible()
    assert fetch_pdf(page, documents.get_by_role("link").get_attribute("href")) == decision
    page.screenshot(path=tmp_path / "status.png", full_page=True)

    # Day 7: a negative test; the officer confirms recovery, the leader issues the paper.
    case_request_recovery(
        case=case,
        negative_test_date=timezone.localdate(),
        test_type="rapid_self",
        tested_by="self_supervised",
    )
    browser_sign_in(page, officer)
    page.goto(f"/office/cases/{case.pk}/")
    page.get_by_role("button", name="Xác nhận khỏi bệnh").click()
    expect(page.get_by_test_id("document-recovery_confirmation-prepared")).to_be_visible()
    browser_sign_in(page, leader)
    page.goto(f"/office/cases/{case.pk}/")
    panel = page.get_by_test_id("case-documents")
    panel.get_by_test_id("document-recovery_confirmation-prepared").get_by_role(
        "link", name="Xem lại và ký ban hành"
    ).click()
    page.get_by_test_id("sign-confirm").click()
    item = page.get_by_test_id("document-recovery_confirmation-issued")
    confirmation = fetch_pdf(
        page, item.get_by_role("link", name="Tải về (PDF)").get_attribute("href")
    )
    text = pdf_text(confirmation)
    assert "Số: 01/GXN-UBND" in text
    assert "theo Quyết định số 01/QĐ-UBND" in text
    assert "Đã hoàn thành thời gian cách ly y tế tại nhà và khỏi bệnh COVID-19" in text
    assert signature_is_valid(confirmation)
    snapshot(confirmation, tmp_path / "confirmation")
    (url,) = qr_payloads(confirmation, tmp_path)
    page.goto(url)
    expect(page.get_by_test_id("verify-status").get_by_text("Văn bản có hiệu lực")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.js_errors == []


def test_document_pages_have_no_wcag_violations(phone_page, seeded_rules):
    from core.tests.axe import violations
    from documents.tests.conftest import accept
    from units.testing import unit

    page = phone_page
    officer = make_user("canbo.trangda", "commune_officer", "02209")
    leader = make_user("chutich.trangda", "commune_leader", "02209")
    case = accept(unit("02209"), officer, full_name="Lò Văn Pó")
    browser_sign_in(page, leader)
    for path in ["/documents/pending/", "/documents/settings/", f"/office/cases/{case.pk}/"]:
        page.goto(path)
        assert violations(page) == [], path
    page.goto(f"/office/cases/{case.pk}/")
    page.get_by_test_id("case-documents").get_by_role("link", name="Xem lại và ký ban hành").click()
    assert violations(page) == []  # the review before signing
    page.get_by_test_id("sign-confirm").click()
    page.get_by_test_id("case-documents").get_by_role("link", name="Thu hồi").click()
    page.get_by_label("Lý do thu hồi").fill("   ")  # blank: errors shown
    page.get_by_role("button", name="Thu hồi văn bản").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert violations(page) == []
    page.get_by_label("Lý do thu hồi").fill("Sai năm sinh")
    page.get_by_role("button", name="Thu hồi văn bản").click()
    expect(page.get_by_text("Đã thu hồi văn bản số 01/QĐ-UBND.")).to_be_visible()
    token = case.documents.get(state="revoked").verification_token
    page.goto(f"/v/{token}/")
    expect(page.get_by_test_id("verify-status").get_by_text("ĐÃ THU HỒI")).to_be_visible()
    assert violations(page) == []
