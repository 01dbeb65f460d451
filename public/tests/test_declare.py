from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.choices import Status
from cases.models import Case
from notifications.models import Notification
from public.tests.flow import consent, declare, fill, form_data, photo


@pytest.mark.django_db
def test_the_form_needs_consent_first(client, units):
    response = client.get(reverse("public:declare_form"))
    assert response["Location"] == reverse("public:declare_start")
    refused = client.post(reverse("public:declare_start"), {})
    assert "Bạn cần đồng ý để gửi khai báo." in refused.content.decode()


@pytest.mark.django_db
def test_a_declaration_ends_on_a_confirmation_with_the_tracking_code(client, units):
    response = declare(client)
    assert response["Location"] == reverse("public:declare_done")
    done = client.get(response["Location"])
    case = Case.objects.get()
    assert case.status == Status.SUBMITTED
    assert case.commune.code == "02209"
    assert case.tracking_code in done.content.decode()
    assert "Xã Tràng Đà sẽ xem xét khai báo" in done.content.decode()
    sms = Notification.objects.get(channel="sms")
    assert sms.recipient == "0912345678" and case.tracking_code in sms.body


@pytest.mark.django_db
def test_the_check_page_shows_the_answers_before_anything_is_written(client, units):
    consent(client)
    fill(client)
    page = client.get(reverse("public:declare_check")).content.decode()
    assert "Nguyễn Thị Hoa" in page and "008190123456" in page and "xã Tràng Đà" in page
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_sending_twice_gives_one_case_and_the_same_code(client, units):
    consent(client)
    fill(client)
    key = client.session["declaration"]["key"]
    first = client.post(reverse("public:declare_check"), {"key": key})
    again = client.post(reverse("public:declare_check"), {"key": key})
    assert first["Location"] == again["Location"] == reverse("public:declare_done")
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_a_second_declaration_for_the_same_id_is_linked_and_the_code_not_shown(client, units):
    from django.test import Client

    declare(client)
    case = Case.objects.get()
    stranger = Client()
    response = declare(stranger, phone="0987654321", full_name="Nguyễn Thị Hoa")
    done = stranger.get(response["Location"]).content.decode()
    assert Case.objects.count() == 1
    assert "Đã bổ sung vào hồ sơ đang xử lý" in done
    assert case.tracking_code not in done
    # The code is sent again to the phone of the first declaration only.
    linked = Notification.objects.get(kind="declaration_linked", channel="sms")
    assert linked.recipient == "0912345678"
    assert not Notification.objects.filter(recipient="0987654321").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "Vui lòng điền mục này."),
        ({"full_name": "Nguyen <b>"}, "full_name", "chỉ gồm chữ cái"),
        ({"id_number": "00819012345"}, "id_number", "Số định danh cá nhân gồm đúng 12 chữ số."),
        ({"id_number": "099190123456"}, "id_number", "không phải mã tỉnh"),
        ({"sex": "male"}, "id_number", "Chữ số thứ 4 của số định danh cá nhân phải là 0"),
        ({"date_of_birth": "1991-05-05"}, "id_number", "hai số cuối của năm sinh (91)"),
        ({"phone": "091234567"}, "phone", "10 chữ số"),
        ({"phone": "0212345678"}, "phone", "bắt đầu bằng 03, 05, 07, 08 hoặc 09"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "không được sau ngày hôm nay"),
        ({"positive_test_date": "2999-01-01"}, "positive_test_date", "không được sau ngày hôm nay"),
        ({"positive_test_date": "2022-01-01"}, "positive_test_date", "đã quá"),
        ({"date_of_birth": "31/02/1990"}, "date_of_birth", "Ngày không hợp lệ"),
        ({"commune": ""}, "commune", "Vui lòng chọn một xã, phường"),
        ({"district": None}, None, None),
        (
            {"sex": "male", "id_number": "008090123456", "pregnant": "on"},
            "pregnant",
            "giới tính nữ",
        ),
        ({"spo2": "101"}, "spo2", "SpO2 từ 50 đến 100."),
        ({"vaccine_doses": "0", "last_dose_date": "2021-10-01"}, "last_dose_date", "Chưa tiêm"),
    ],
)
def test_each_rule_shows_its_message_next_to_the_field(client, units, overrides, field, message):
    consent(client)
    response = fill(client, **overrides)
    if field is None:
        assert response.status_code == 302  # district is optional
        return
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message.lower() in " ".join(errors[field]).lower()
    html = response.content.decode()
    assert "usa-error-message" in html and f'id="id_{field}-error"' in html
    assert "Có 1 lỗi cần sửa" in html or "lỗi cần sửa" in html


@pytest.mark.django_db
def test_commune_must_lie_in_the_chosen_district(client, units):
    from units.testing import unit

    consent(client)
    response = fill(client, district=str(unit("076").pk))
    assert "Xã Tràng Đà không thuộc Huyện Sơn Dương." in response.content.decode()


@pytest.mark.django_db
def test_a_child_without_papers_needs_a_guardian(client, units):
    consent(client)
    child = {"id_type": "none", "id_number": "", "date_of_birth": "2018-03-03"}
    response = fill(client, **child)
    errors = response.context["form"].errors
    assert "họ tên người giám hộ" in errors["guardian_name"][0]
    assert "guardian_phone" in errors and "guardian_id_number" in errors
    # An adult without papers too, with a relative's details (issue 13 part 3).
    adult = fill(client, id_type="none", id_number="")
    assert "người thân khai báo thay" in adult.context["form"].errors["guardian_name"][0]
    assert "id_type" not in adult.context["form"].errors
    ok = fill(
        client,
        **child,
        guardian_name="Nguyễn Văn Bố",
        guardian_id_number="008085000123",
        guardian_phone="+84 912 000 111",
    )
    assert ok.status_code == 302
    assert client.session["declaration"]["members"][0]["draft"]["guardian_phone"] == [
        "+84 912 000 111"
    ]


@pytest.mark.django_db
def test_what_was_typed_and_the_photo_are_kept_on_error(client, units):
    consent(client)
    response = fill(client, phone="123")
    html = response.content.decode()
    assert 'value="Nguyễn Thị Hoa"' in html and 'value="Thôn Cầu Bâm"' in html
    token = client.session["staged_uploads"][0]
    assert f'value="{token}"' in html  # the photo need not be chosen again
    # Fixing only the phone, without sending the photo again, passes.
    data = form_data(phone="0912345678")
    data["test_photo_token"] = token
    fixed = client.post(reverse("public:declare_form"), data)
    assert fixed.status_code == 302


@pytest.mark.django_db
def test_a_refused_upload_says_why_and_keeps_the_rest(client, units):
    from django.core.files.uploadedfile import SimpleUploadedFile

    consent(client)
    data = form_data()
    data["test_photo"] = SimpleUploadedFile("test.jpg", b"%PDF-1.4 fake", content_type="image/jpeg")
    response = client.post(reverse("public:declare_form"), data)
    assert response.status_code == 200
    assert "PDF" in " ".join(response.context["form"].errors["test_photo"])
    assert 'value="Nguyễn Thị Hoa"' in response.content.decode()


@pytest.mark.django_db
def test_going_back_to_edit_shows_the_draft(client, units):
    consent(client)
    fill(client, village="Tổ 5")
    page = client.get(reverse("public:declare_form")).content.decode()
    assert 'value="Tổ 5"' in page


@pytest.mark.django_db
def test_the_household_form_starts_with_the_same_address(client, units):
    declare(client)
    consent(client)
    page = client.get(reverse("public:declare_form")).content.decode()
    assert 'value="Thôn Cầu Bâm"' in page and 'value="0912345678"' in page
    assert 'value="Nguyễn Thị Hoa"' not in page


@pytest.mark.django_db
def test_declarations_are_rate_limited_per_phone_without_losing_the_draft(client, units, settings):
    from public import views

    settings.RATELIMIT_ENABLED = True
    limit = views.DECLARE_PHONE_LIMIT[1]
    for n in range(limit):
        response = declare(client, id_number=f"008190{n:06d}")
        assert response.status_code == 302
    consent(client)
    fill(client, id_number="008190999999")
    blocked = client.post(
        reverse("public:declare_check"), {"key": client.session["declaration"]["key"]}
    )
    assert blocked.status_code == 429
    assert "Vui lòng thử lại sau" in blocked.content.decode()
    assert Case.objects.count() == limit
    assert client.session["declaration"]["members"][0]["draft"]["id_number"] == ["008190999999"]


@pytest.mark.django_db
def test_communes_of_a_district_for_the_quick_picker(client, units):
    from units.testing import unit

    html = client.get(reverse("public:communes"), {"district": unit("076").pk}).content.decode()
    assert "Thị trấn Sơn Dương" in html and "Xã Tràng Đà" not in html
    assert html.count("<option") == 32  # 31 communes and the prompt


@pytest.mark.django_db
def test_the_positive_test_window_follows_the_rules(client, units):
    consent(client)
    today = timezone.localdate()
    assert (
        fill(client, positive_test_date=(today - timedelta(days=14)).isoformat()).status_code == 302
    )
    too_old = fill(client, positive_test_date=(today - timedelta(days=15)).isoformat())
    assert "đã quá 14 ngày" in too_old.context["form"].errors["positive_test_date"][0]


@pytest.mark.django_db
def test_form_posts_photo_only_once_in_the_file_input(client, units):
    consent(client)
    data = form_data()
    data["test_photo"] = photo()
    data["id_photo"] = photo("cccd.jpg")
    assert client.post(reverse("public:declare_form"), data).status_code == 302
    declare_key = client.session["declaration"]["key"]
    client.post(reverse("public:declare_check"), {"key": declare_key})
    case = Case.objects.get()
    assert case.test_photo.attached_at and case.id_photo.attached_at


@pytest.mark.django_db
def test_a_missing_answer_says_what_to_do_without_repeating_its_label(client, units):
    """Issue 14 item 26: "Giới tính: Vui lòng điền mục «Giới tính»" said the label twice and
    asked to "fill in" a choice."""
    consent(client)
    response = fill(
        client, full_name="", sex="", village="", commune="", id_number="", vaccine_doses=""
    )
    form = response.context["form"]
    assert form.errors["sex"] == ["Vui lòng chọn một mục."]
    assert form.errors["full_name"] == ["Vui lòng điền mục này."]
    assert form.errors["id_number"] == ["Vui lòng điền mục này."]
    assert form.errors["commune"] == ["Vui lòng chọn một xã, phường trong danh sách."]
    assert form.errors["vaccine_doses"] == [
        "Vui lòng chọn một mục (chọn «Chưa tiêm» nếu chưa tiêm mũi nào)."
    ]
    for name, messages in form.errors.items():
        label = str(form.fields[name].label).lower() if name in form.fields else ""
        for message in messages:
            assert not label or label not in message.lower(), (name, message)


@pytest.mark.django_db
def test_a_commune_outside_the_province_or_unknown_is_refused_next_to_the_field(client, units):
    from units.models import Unit

    consent(client)
    outside = Unit.objects.filter(level="commune").exclude(province__code="08").first()
    for value in ["999999", "abc", str(outside.pk) if outside else "888888"]:
        response = fill(client, commune=value)
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert "commune" in errors, value
        assert not Case.objects.exists()
        # The list to choose from is still there, with the province's communes.
        assert "Xã Tràng Đà" in response.content.decode()
