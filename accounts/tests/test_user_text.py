"""An officer's account: name and phone normalised like a citizen's (issue 10)."""

import unicodedata

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.test_user_management import create_payload


@pytest.mark.django_db
def test_a_decomposed_name_and_a_pasted_phone_are_stored_normalised(
    client, sysadmin, commune_a, login
):
    login(sysadmin)
    payload = create_payload(commune_a)
    payload.update(full_name=unicodedata.normalize("NFD", "Lê Thị Thuỷ"), phone="0084 912 345 688")
    assert client.post(reverse("accounts:user_create"), payload).status_code == 200
    created = User.objects.get(username="new.officer")
    assert (created.full_name, created.phone) == ("Lê Thị Thuỷ", "0912345688")


@pytest.mark.django_db
def test_a_name_pasted_in_vni_is_refused_with_its_conversion(client, sysadmin, commune_a, login):
    login(sysadmin)
    payload = create_payload(commune_a)
    payload["full_name"] = "Traàn Vaên Nam"
    response = client.post(reverse("accounts:user_create"), payload)
    assert "«Trần Văn Nam»" in " ".join(response.context["form"].errors["full_name"])
    assert not User.objects.filter(username="new.officer").exists()
