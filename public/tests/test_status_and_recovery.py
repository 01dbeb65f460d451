from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.choices import Status
from cases.services import case_accept, case_reject
from cases.testing import make_case
from public.tests.flow import photo


def lookup(client, code, secret):
    return client.post(reverse("public:status"), {"tracking_code": code, "secret": secret})


@pytest.mark.django_db
def test_lookup_with_code_and_id_shows_status_and_dates(client, commune_a, officer_a):
    case = make_case(commune_a, status=Status.ACCEPTED, by=officer_a)
    response = lookup(client, case.tracking_code.lower().replace("-", " "), case.id_number)
    assert response["Location"] == reverse("public:status_case", args=[case.tracking_code])
    page = client.get(response["Location"]).content.decode()
    assert "Đang cách ly" in page
    assert case.isolation_end.strftime("%d/%m/%Y") in page
    assert case.extended_isolation_end.strftime("%d/%m/%Y") in page
    assert "Xã tiếp nhận, bắt đầu cách ly" in page  # the timeline in plain Vietnamese
    # Nothing more personal than the status: no ID, phone or address on the page.
    assert case.id_number not in page and case.phone not in page and case.village not in page


@pytest.mark.django_db
def test_a_wrong_id_number_reveals_nothing(client, commune_a):
    case = make_case(commune_a)
    response = lookup(client, case.tracking_code, "008190000000")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Không tìm thấy hồ sơ" in html
    assert case.full_name not in html and "Chờ xã tiếp nhận" not in html
    # The status page itself is closed to a browser that has not proven the pair: it is
    # sent to the lookup, the code filled in, nothing of the case shown.
    other = Client().get(reverse("public:status_case", args=[case.tracking_code]), follow=True)
    page = other.content.decode()
    assert other.redirect_chain[-1][0] == f"/tra-cuu/?code={case.tracking_code}"
    assert f'value="{case.tracking_code}"' in page
    assert case.full_name not in page and "Chờ xã tiếp nhận" not in page


@pytest.mark.django_db
def test_an_id_number_and_birth_date_alone_open_nothing(client, commune_a):
    case = make_case(commune_a)
    response = lookup(client, "TQ-2222-2222", case.id_number)
    assert "Không tìm thấy hồ sơ" in response.content.decode()


@pytest.mark.django_db
def test_a_child_is_looked_up_with_the_guardians_phone(client, commune_a):
    case = make_case(
        commune_a,
        id_type="none",
        id_number="",
        date_of_birth=timezone.localdate().replace(year=2018),
        guardian_name="Nguyễn Văn Bố",
        guardian_id_number="008085000123",
        guardian_phone="0912000111",
    )
    assert lookup(client, case.tracking_code, "+84 912 000 111").status_code == 302


@pytest.mark.django_db
def test_rejection_reason_is_shown_to_the_citizen(client, commune_a, officer_a):
    case = make_case(commune_a)
    case_reject(case=case, by=officer_a, reason="unreadable_photo", note="Ảnh mờ, chụp lại")
    lookup(client, case.tracking_code, case.id_number)
    page = client.get(reverse("public:status_case", args=[case.tracking_code])).content.decode()
    assert "Từ chối tiếp nhận" in page and "Ảnh mờ, chụp lại" in page


def recover(client, case, **overrides):
    data = {
        "tracking_code": case.tracking_code,
        "secret": case.id_number,
        "negative_test_date": timezone.localdate().isoformat(),
        "test_type": "rapid_self",
        "tested_by": "self_supervised",
        "remaining_symptoms": ["cough"],
        "key": "3f1e4a8a-5b8e-4e2c-9e6c-2c1a1f0d9b7a",
        "result_photo": photo(),
    }
    data.update(overrides)
    return client.post(reverse("public:recovery"), data)


@pytest.mark.django_db
def test_recovery_before_day_7_is_refused_with_the_earliest_date(client, commune_a, officer_a):
    case = make_case(commune_a, positive_test_date=timezone.localdate() - timedelta(days=3))
    case_accept(case=case, by=officer_a)
    response = recover(client, case)
    assert response.status_code == 200
    earliest = case.isolation_end.strftime("%d/%m/%Y")
    assert f"xét nghiệm âm tính phải làm từ ngày {earliest}" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED


@pytest.mark.django_db
def test_recovery_on_day_7_moves_the_case_and_is_idempotent(client, commune_a, officer_a):
    case = make_case(commune_a, positive_test_date=timezone.localdate() - timedelta(days=6))
    case_accept(case=case, by=officer_a)
    response = recover(client, case)
    assert response["Location"] == reverse("public:status_case", args=[case.tracking_code])
    again = recover(client, case)  # the same form sent twice
    assert again.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.RECOVERY_REQUESTED
    assert case.recovery_declarations.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Đã khai báo khỏi bệnh, chờ xác nhận" in page


@pytest.mark.django_db
def test_recovery_for_a_case_not_yet_accepted_says_so_in_plain_words(client, commune_a):
    case = make_case(commune_a, positive_test_date=timezone.localdate() - timedelta(days=3))
    page = recover(client, case).content.decode()
    earliest = case.isolation_end.strftime("%d/%m/%Y")
    assert "Xã chưa tiếp nhận khai báo nhiễm của bạn" in page
    assert f"làm từ ngày {earliest} (ngày thứ 7 kể từ ngày có kết quả dương tính)" in page
    # No talk of statuses and transitions.
    assert "Không thể chuyển hồ sơ" not in page and "trạng thái" not in page


@pytest.mark.django_db
def test_recovery_for_an_ended_case_says_it_has_ended(client, commune_a, officer_a):
    case = make_case(commune_a, positive_test_date=timezone.localdate() - timedelta(days=8))
    case_reject(case=case, by=officer_a, reason="duplicate")
    page = recover(client, case).content.decode()
    assert "Hồ sơ của bạn đã kết thúc (Từ chối tiếp nhận)" in page
    assert "Không thể chuyển hồ sơ" not in page


@pytest.mark.django_db
def test_recovery_with_wrong_id_changes_nothing(client, commune_a, officer_a):
    case = make_case(commune_a, positive_test_date=timezone.localdate() - timedelta(days=8))
    case_accept(case=case, by=officer_a)
    response = recover(client, case, secret="008190000001")
    assert "Không tìm thấy hồ sơ" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
