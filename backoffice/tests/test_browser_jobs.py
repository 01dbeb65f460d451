"""The page of a job taken up again after its worker died, on a phone."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.testing import browser_sign_in
from core.tests.axe import violations
from jobs.models import BulkJob

pytestmark = [pytest.mark.browser]


def test_a_resumed_job_says_so_and_has_no_wcag_violations(phone_page, commune_a, officer_a):
    job = BulkJob.objects.create(
        kind="accept_cases",
        state=BulkJob.State.QUEUED,
        commune=commune_a,
        created_by=officer_a,
        items=[{"case": 0, "code": "TQ-0000-0000"}] * 200,
        total=200,
        cursor=18,
        done=18,
        resumed_count=1,
        resumed_at=timezone.now(),
    )
    page = phone_page
    browser_sign_in(page, officer_a)
    page.goto(f"/office/jobs/{job.pk}/")
    expect(page.get_by_test_id("job-resumed")).to_contain_text("tự động tiếp tục từ mục chưa làm")
    expect(page.locator("#job-progress")).to_contain_text("đã xử lý 18/200")
    assert violations(page) == []
