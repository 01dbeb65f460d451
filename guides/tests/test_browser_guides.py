"""The citizen's guide on a phone: every screenshot loads, nothing overflows, axe passes."""

import pytest

from core.tests.axe import violations

pytestmark = [pytest.mark.browser]


def test_the_citizens_guide_reads_well_on_a_phone(phone_page):
    page = phone_page
    page.goto("/")
    page.get_by_role("button", name="Danh mục").click()
    page.get_by_role("link", name="Hướng dẫn").click()
    page.get_by_role("link", name="Hướng dẫn cho người dân").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Hướng dẫn cho người dân"
    images = page.locator("figure img")
    assert images.count() == 8
    for index in range(images.count()):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        image.evaluate(
            "i => i.complete ? 0 : new Promise(done => { i.onload = i.onerror = done; })"
        )
        assert image.evaluate("i => i.naturalWidth") == 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert violations(page) == []
    assert page.js_errors == []
