"""Pages showing a citizen's personal data without a login are never stored by a cache."""

import pytest
from django.urls import reverse

from cases.testing import make_case
from public.tests.flow import consent, declare, fill
from public.tests.test_status_and_recovery import lookup


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_the_declaration_pages_are_not_cached(client, units):
    consent(client)
    sent_back = fill(client, full_name="")  # refused: the typed data is shown again
    assert sent_back.status_code == 200 and no_store(sent_back)
    assert fill(client).status_code == 302
    check = client.get(reverse("public:declare_check"))
    assert "Nguyễn Thị Hoa" in check.content.decode() and no_store(check)
    assert no_store(client.get(reverse("public:declare_form")))
    declare(client, id_number="008190000123")
    assert no_store(client.get(reverse("public:declare_done")))


@pytest.mark.django_db
def test_the_lookup_status_and_recovery_pages_are_not_cached(client, commune_a):
    case = make_case(commune_a)
    wrong = lookup(client, case.tracking_code, "000000000000")
    assert wrong.status_code == 200 and no_store(wrong)
    found = lookup(client, case.tracking_code, case.id_number)
    assert no_store(client.get(found["Location"]))
    assert no_store(client.post(reverse("public:recovery"), {"secret": case.id_number}))
