"""Issue 10, part 1, on the public declaration: NFC text, legacy encodings, phone numbers."""

import re
import unicodedata

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case
from public.tests.flow import consent, declare, fill, form_data

VILLAGE = "Thôn Đồng Quỹ"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.django_db
def test_a_village_and_a_name_typed_decomposed_are_stored_composed(client, units):
    assert len(nfd(VILLAGE)) == 17
    declare(client, village=nfd(VILLAGE), full_name=nfd("Nguyễn Thị Hoa"))
    case = Case.objects.get()
    assert case.village == VILLAGE and case.full_name == "Nguyễn Thị Hoa"
    # A search of the database for the composed spelling finds it.
    assert Case.objects.filter(village=VILLAGE).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "encoding"),
    [("NguyÔn ThÞ Hoa", "TCVN3 (ABC)"), ("Nguyeãn Thò Hoa", "VNI")],
)
def test_a_name_pasted_in_a_legacy_encoding_is_refused_and_the_conversion_offered(
    client, units, typed, encoding
):
    consent(client)
    response = fill(client, full_name=typed)
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["full_name"])
    assert f"bảng mã cũ {encoding}" in message
    assert f"«{typed}»" in message and "«Nguyễn Thị Hoa»" in message
    html = response.content.decode()
    # The field now holds the converted name: sending again as shown goes through.
    assert re.search(r'name="full_name"[^>]*value="Nguyễn Thị Hoa"', html)
    assert not Case.objects.exists()
    data = form_data(full_name="Nguyễn Thị Hoa")
    data["test_photo_token"] = client.session["staged_uploads"][0]
    assert client.post(reverse("public:declare_form"), data).status_code == 302


@pytest.mark.django_db
def test_a_village_pasted_in_tcvn3_is_refused_with_its_conversion(client, units):
    consent(client)
    response = fill(client, village="Th«n §ång Quü")
    message = " ".join(response.context["form"].errors["village"])
    assert "bảng mã cũ TCVN3 (ABC)" in message and f"«{VILLAGE}»" in message


@pytest.mark.django_db
def test_a_number_in_the_international_form_is_accepted_and_stored_nationally(client, units):
    declare(client, phone="0084 912 345 688")
    assert Case.objects.get().phone == "0912345688"


@pytest.mark.django_db
def test_no_maxlength_cuts_off_a_pasted_number(client, units):
    consent(client)
    html = client.get(reverse("public:declare_form")).content.decode()
    for name in ("phone", "id_number", "guardian_phone", "guardian_id_number"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert "maxlength" not in tag, tag


@pytest.mark.django_db
def test_an_id_typed_in_full_width_digits_finds_the_open_case(client, units):
    declare(client)
    case = Case.objects.get()
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in case.id_number)
    declare(Client(), id_number=full_width, phone="0987654321")
    assert Case.objects.count() == 1
    assert case.events.filter(kind="declaration_linked").exists()


@pytest.mark.django_db
def test_a_case_is_looked_up_with_its_id_typed_in_full_width_digits(client, units):
    declare(client)
    case = Case.objects.get()
    full_width = " ".join(chr(ord(c) + 0xFEE0) for c in case.id_number)
    response = Client().post(
        reverse("public:status"), {"tracking_code": case.tracking_code, "secret": full_width}
    )
    assert response["Location"] == reverse("public:status_case", args=[case.tracking_code])
