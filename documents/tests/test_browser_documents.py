"""On a phone: a leader issues both documents of a recovered case in order, and prints a
batch as one PDF (issue 14 items 3 and 6)."""

import io
import os
import threading
from datetime import timedelta

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.testing import browser_sign_in, make_user
from cases.choices import Status
from cases.testing import make_case
from core.tests.axe import violations
from documents.batches import documents_batch_confirm, documents_batch_prepare
from documents.models import Document
from documents.tests.conftest import decision_of, recover
from jobs.models import BulkJob
from units.testing import unit

pytestmark = [pytest.mark.browser]


def shoot(page, name: str) -> None:
    if shots := os.environ.get("SCREENSHOTS_DIR"):
        page.screenshot(path=f"{shots}/{name}-360.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=f"{shots}/{name}-1280.png", full_page=True)
        page.set_viewport_size({"width": 360, "height": 740})


def test_a_leader_issues_the_decision_then_the_confirmation_on_a_phone(phone_page):
    page = phone_page
    officer = make_user("officer.order", "commune_officer", "02209")
    leader = make_user("leader.order", "commune_leader", "02209")
    case = make_case(
        unit("02209"),
        status=Status.ACCEPTED,
        by=officer,
        full_name="Đỗ Thị Lụa",
        positive_test_date=timezone.localdate() - timedelta(days=20),
    )
    recover(case, officer)
    browser_sign_in(page, leader)
    page.goto(f"/office/cases/{case.pk}/")
    button = page.get_by_role(
        "button", name="Ban hành quyết định rồi giấy xác nhận hoàn thành cách ly"
    )
    expect(button).to_be_visible()
    expect(page.get_by_test_id("issue-in-order-note")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert violations(page) == []
    shoot(page, "case-issue-in-order")

    button.click()  # the period is over: the box must be ticked first
    assert not Document.objects.filter(case=case, state=Document.State.ISSUED).exists()
    row = page.get_by_test_id("document-recovery_confirmation-prepared")
    row.get_by_text("Tôi xác nhận ban hành hôm nay quyết định cách ly").click()
    button.click()
    expect(page.get_by_text("Đã ban hành theo thứ tự")).to_be_visible()
    assert Document.objects.filter(case=case, state=Document.State.ISSUED).count() == 2
    shoot(page, "case-issued-in-order")


def test_a_leader_downloads_a_batch_as_one_pdf_on_a_phone(phone_page):
    page = phone_page
    officer = make_user("officer.batch", "commune_officer", "02209")
    leader = make_user("leader.batch", "commune_leader", "02209")
    cases = [
        make_case(unit("02209"), status=Status.ACCEPTED, by=officer, full_name=name)
        for name in ("Phạm Thị Ngọc Ánh", "Vũ Đức Thắng")
    ]
    # Queuing runs the job at once here; signing runs an event loop of its own, which it
    # may not in this thread, where Playwright's runs.
    documents = [decision_of(case) for case in cases]

    def issue_batch():
        job = documents_batch_prepare(by=leader, documents=documents)
        documents_batch_confirm(job=job, by=leader)

    runner = threading.Thread(target=issue_batch)
    runner.start()
    runner.join()
    job = BulkJob.objects.get()
    assert (job.state, job.done) == ("done", 2), (job.state, job.errors)
    browser_sign_in(page, leader)
    page.goto(f"/documents/batches/{job.pk}/")
    link = page.get_by_role("link", name="Tải một tệp PDF để in")
    expect(link).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert violations(page) == []
    shoot(page, "batch-download")
    with page.expect_download() as download:
        link.click()
    pdf = pypdf.PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "Phạm Thị Ngọc Ánh" in text and "Vũ Đức Thắng" in text
