"""The inbox search never puts a phone, ID number or name in a URL (access logs, history)."""

import re
from functools import partial

import pytest
from django.test import Client
from django.urls import reverse

from backoffice import selectors
from backoffice.views import inbox as inbox_views
from cases.testing import make_case

INBOX = reverse("backoffice:inbox")
PHONE = "0987654321"


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


@pytest.mark.django_db
def test_a_search_by_phone_pages_and_goes_back_without_the_phone_in_any_url(
    client, login, officer_a, commune_a, monkeypatch
):
    monkeypatch.setattr(inbox_views, "inbox_page", partial(selectors.inbox_page, page_size=2))
    found = [make_case(commune_a, phone=PHONE, full_name=f"Người Số {n}") for n in range(3)]
    make_case(commune_a, phone="0911111111", full_name="Lò Văn Khác")
    login(officer_a)

    sent = client.post(INBOX, {"tab": "review", "q": PHONE})
    assert sent.status_code == 302 and PHONE not in sent["Location"]
    first = client.get(sent["Location"])
    html = first.content.decode()
    assert "Lò Văn Khác" not in html and "Người Số" in html
    assert all(PHONE not in url and "q=" not in url for url in links(html))

    # The next page keeps the search, by id only.
    next_url = re.search(r'href="([^"]*after=[^"]*)"', html).group(1).replace("&amp;", "&")
    page_two = client.get(INBOX + next_url).content.decode()
    shown = sum(case.tracking_code in html or case.tracking_code in page_two for case in found)
    assert shown == 3 and "Lò Văn Khác" not in page_two
    # Back: the first URL shows the same search again.
    assert "Lò Văn Khác" not in client.get(sent["Location"]).content.decode()


@pytest.mark.django_db
def test_a_search_id_means_nothing_in_another_session(client, login, officer_a, commune_a):
    make_case(commune_a, phone=PHONE, full_name="Người Tìm")
    make_case(commune_a, full_name="Lò Văn Khác")
    login(officer_a)
    url = client.post(INBOX, {"q": PHONE})["Location"]

    other = Client()
    login(officer_a, other)
    html = other.get(url).content.decode()
    assert "Lò Văn Khác" in html  # no search applied
    assert "vui lòng nhập lại nội dung cần tìm" in html
