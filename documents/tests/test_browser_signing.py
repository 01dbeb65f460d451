"""The pages a leader signs from, on a 360-px phone and a desktop: what will be signed,
with its flags, and the PIN asked for a remote signer."""

import os
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.testing import browser_sign_in
from core.tests.axe import violations
from documents.selectors import wording_for
from documents.services import document_settings_save
from documents.tests.conftest import accept, decision_of

pytestmark = [pytest.mark.browser]


def _shot(page, name: str) -> None:
    """Keep a full-page screenshot when KF0_SCREENSHOTS names a folder (to look at)."""
    folder = os.environ.get("KF0_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _fits(page) -> bool:
    """Nothing wider than the screen but the tables' own scrolling boxes."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def remote_commune(commune_a, leader_a, monkeypatch):
    monkeypatch.setenv("SIGNING_CSC_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("SIGNING_CSC_CREDENTIAL", "cred")
    document_settings_save(unit=commune_a, by=leader_a, values={"signer_kind": "csc"})


@pytest.mark.parametrize("width", [360, 1280])
def test_the_batch_review_lists_people_numbers_periods_and_flags_and_asks_the_pin(
    width, phone_page, commune_a, officer_a, leader_a, remote_commune
):
    born = date(1988, 3, 4)
    accept(commune_a, officer_a, full_name="Hoàng Văn Nguy", spo2=90, date_of_birth=born)
    accept(commune_a, officer_a, full_name="Lý Thị Trùng", date_of_birth=born)
    accept(commune_a, officer_a, full_name="Lý Thị Trùng", date_of_birth=born)
    page = phone_page
    page.set_viewport_size({"width": width, "height": 800})
    browser_sign_in(page, leader_a)
    page.goto("/documents/pending/")
    _shot(page, f"pending-{width}")
    page.get_by_role("button", name="Xem lại và ban hành tất cả (3)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xem lại 3 văn bản trước khi ký")
    expect(page.get_by_test_id("signing-row")).to_have_count(3)
    expect(page.get_by_test_id("flagged-count")).to_contain_text("3 văn bản cần lưu ý")
    expect(page.get_by_test_id("signing-preview")).to_contain_text("03/QĐ-UBND")
    expect(page.get_by_label("Mã PIN ký số")).to_be_visible()
    _shot(page, f"batch-review-{width}")
    assert _fits(page)
    assert violations(page) == []
    assert page.js_errors == []


@pytest.mark.parametrize("width", [360, 1280])
def test_one_document_is_reviewed_before_signing(width, phone_page, commune_a, officer_a, leader_a):
    case = accept(commune_a, officer_a, full_name="Nguyễn Thị Hồng Nhung")
    page = phone_page
    page.set_viewport_size({"width": width, "height": 800})
    browser_sign_in(page, leader_a)
    page.goto(f"/office/cases/{case.pk}/")
    page.get_by_role("link", name="Xem lại và ký ban hành").click()
    expect(page.get_by_test_id("signing-row")).to_contain_text("Nguyễn Thị Hồng Nhung")
    _shot(page, f"issue-review-{width}")
    assert _fits(page)
    assert violations(page) == []
    page.get_by_role("button", name="Ký và ban hành").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("01/QĐ-UBND")
    assert decision_of(case).is_issued


@pytest.mark.parametrize("width", [360, 1280])
def test_a_leader_chooses_how_the_commune_signs(width, phone_page, commune_a, leader_a):
    page = phone_page
    page.set_viewport_size({"width": width, "height": 800})
    browser_sign_in(page, leader_a)
    page.goto("/documents/settings/")
    page.get_by_text("USB token / HSM (PKCS#11), nhập mã PIN khi ký").click()
    _shot(page, f"settings-{width}")
    assert _fits(page)
    page.get_by_role("button", name="Lưu mẫu văn bản").click()
    expect(page.locator(".usa-alert--success")).to_be_visible()
    assert wording_for(commune_a).signer_kind == "pkcs11"
