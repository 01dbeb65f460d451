import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cases.choices import EventKind
from cases.models import Case
from cases.testing import make_case, photo_file

ENROL = reverse("backoffice:enrol")


def form_data(**overrides):
    data = {
        "full_name": "Hoàng Văn Nam",
        "date_of_birth": "15/08/1985",
        "sex": "male",
        "id_type": "cccd",
        "id_number": "008085001234",
        "phone": "0912 345 678",
        "village": "Tổ 5",
        "test_type": "rt_pcr",
        "test_place": "CDC tỉnh",
        "positive_test_date": (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y"),
        "vaccine_doses": "2",
        "symptoms": ["fever"],
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_officer_enters_a_case_for_the_own_commune(client, login, officer_a, commune_a):
    login(officer_a)
    assert client.get(ENROL).status_code == 200
    response = client.post(ENROL, form_data(), follow=True)
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == reverse("backoffice:case", args=[case.pk])
    assert (case.commune, case.entered_by, case.phone) == (commune_a, officer_a, "0912345678")
    assert case.test_photo is None
    assert case.events.get().kind == EventKind.ENROLLED
    assert "Đã tạo hồ sơ" in response.content.decode()
    assert AuditEntry.objects.filter(action="case.enrol", object_id=str(case.pk)).exists()


@pytest.mark.django_db
def test_enrolment_with_a_photo(client, login, officer_a):
    login(officer_a)
    client.post(ENROL, form_data(test_photo=photo_file()))
    assert Case.objects.get().test_photo.kind == "test_photo"


@pytest.mark.django_db
def test_enrolment_checks_like_the_public_form(client, login, officer_a):
    login(officer_a)
    html = client.post(
        ENROL, form_data(id_number="008185001234", phone="0212345678", full_name="")
    ).content.decode()
    assert "Chữ số thứ 4 của số định danh cá nhân phải là 0" in html
    assert "Số điện thoại di động Việt Nam bắt đầu bằng 03, 05, 07, 08 hoặc 09." in html
    assert "Vui lòng nhập thông tin này." in html
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_the_same_form_sent_twice_makes_one_case(client, login, officer_a):
    login(officer_a)
    data = form_data()
    client.post(ENROL, data)
    client.post(ENROL, data)
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_a_person_with_an_open_case_is_linked_not_duplicated(client, login, officer_a, commune_a):
    existing = make_case(
        commune_a,
        id_number="008085001234",
        date_of_birth=timezone.datetime(1985, 8, 15).date(),
        sex="male",
    )
    login(officer_a)
    response = client.post(ENROL, form_data(), follow=True)
    assert Case.objects.count() == 1
    assert existing.tracking_code in response.content.decode()
    assert existing.events.filter(kind=EventKind.DECLARATION_LINKED).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["district_staff", "province_health"])
def test_only_commune_staff_enter_cases(request, client, login, persona):
    login(request.getfixturevalue(persona))
    assert client.get(ENROL).status_code == 403
    assert client.post(ENROL, form_data()).status_code == 403
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_name_without_diacritics_is_confirmed_before_it_is_printed(client, login, officer_a):
    """Issue 14 item 21: an officer's entry, as the citizen's form, asks about "nguyen van an"."""
    login(officer_a)
    asked = client.post(ENROL, form_data(full_name="hoang van nam"))
    assert asked.status_code == 200 and not Case.objects.exists()
    html = asked.content.decode()
    assert "«hoang van nam» chưa có dấu" in html and 'name="full_name_confirmed"' in html
    client.post(ENROL, form_data(full_name="hoang van nam", full_name_confirmed="on"))
    assert Case.objects.get().full_name == "hoang van nam"


@pytest.mark.django_db
def test_an_adult_without_papers_is_entered_with_a_relative(client, login, officer_a):
    login(officer_a)
    elderly = form_data(id_type="none", id_number="", date_of_birth="01/07/1940")
    refused = client.post(ENROL, elderly).content.decode()
    assert "cần họ tên người giám hộ hoặc người thân" in refused
    relative = {
        "guardian_name": "Hoàng Văn Nam",
        "guardian_id_number": "008085001234",
        "guardian_phone": "0912345678",
    }
    client.post(ENROL, {**elderly, **relative})
    assert Case.objects.get().guardian_name == "Hoàng Văn Nam"
