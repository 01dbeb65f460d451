"""The citizen's pages after declaring: who opened my record (issue 13 part 6), the
health station's phone (issue 14 item 22, pages) and recovery declared too early (item 18)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.choices import Status
from cases.monitoring import STATUS, link_for, token_for
from cases.services import case_accept
from cases.testing import make_case
from documents.models import Document, DocumentTemplateSettings, Kind
from documents.services import document_issue
from public.tests.flow import declare, photo

STATION_PHONE = "0207 3822 115"


def status_page(case) -> str:
    path = reverse("public:status_link", args=[token_for(link_for(case), STATUS)])
    response = Client().get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_status_page_lists_the_units_that_opened_the_record_and_nothing_of_who(
    commune_a, officer_a, leader_a, district_staff, login
):
    case = make_case(commune_a, status=Status.ACCEPTED, by=officer_a)
    decision = Document.objects.live().get(case=case, kind=Kind.ISOLATION_DECISION)
    document_issue(document=decision, by=leader_a)
    officer_a.full_name = "Nguyễn Văn Cán"
    officer_a.save()
    district_staff.full_name = "Lê Thị Huyện"
    district_staff.save()

    assert "Chưa có cán bộ nào mở hồ sơ của bạn." in status_page(case)

    detail = reverse("backoffice:case", args=[case.pk])
    officer = login(officer_a, Client())
    officer.get(detail)
    officer.get(detail)
    login(district_staff, Client()).get(detail)
    assert (
        login(leader_a, Client()).get(reverse("documents:download", args=[decision.pk])).status_code
        == 200
    )

    html = status_page(case)
    openings = html[html.index('data-testid="openings"') :]
    assert "Xã Tràng Đà" in openings and "Cán bộ xã / Trạm y tế" in openings
    assert "Xem hồ sơ, 2 lần" in openings
    assert "Thành phố Tuyên Quang" in openings and "Cán bộ cấp huyện" in openings
    assert "Lãnh đạo UBND xã" in openings and "Tải văn bản" in openings
    for person in (officer_a, leader_a, district_staff):
        assert person.full_name not in html and person.username not in html


@pytest.mark.django_db
def test_the_citizens_pages_give_the_health_stations_phone(units, client, commune_a, officer_a):
    DocumentTemplateSettings.objects.create(
        unit=commune_a, health_station_phone=STATION_PHONE, legal_bases=[]
    )
    declare(client, spo2="94")  # a danger sign: the advice says whom to call
    done = client.get(reverse("public:declare_done")).content.decode()
    assert STATION_PHONE in done and 'href="tel:02073822115"' in done

    from cases.models import Case

    case = Case.objects.get()
    page = status_page(case)
    advice = page[page.index('data-testid="danger-advice"') :]
    assert STATION_PHONE in advice[: advice.index("</div></div>")]

    case_accept(case=case, by=officer_a)
    recovery = client.get(reverse("public:recovery") + f"?code={case.tracking_code}")
    assert STATION_PHONE in recovery.content.decode()


@pytest.mark.django_db
def test_recovery_too_early_says_from_which_date_and_why(client, commune_a, officer_a):
    case = make_case(commune_a, positive_test_date=timezone.localdate() - timedelta(days=3))
    case_accept(case=case, by=officer_a)
    response = client.post(
        reverse("public:recovery"),
        {
            "tracking_code": case.tracking_code,
            "secret": case.id_number,
            "negative_test_date": timezone.localdate().isoformat(),
            "test_type": "rapid_self",
            "tested_by": "self_supervised",
            "key": "3f1e4a8a-5b8e-4e2c-9e6c-2c1a1f0d9b7a",
            "result_photo": photo(),
        },
    )
    html = response.content.decode()
    earliest = case.isolation_end.strftime("%d/%m/%Y")
    positive = case.positive_test_date.strftime("%d/%m/%Y")
    assert f"bạn khai báo khỏi bệnh được từ ngày {earliest} (còn 3 ngày)" in html
    # Why, from the case's rule set: its name and its days, counted from the positive test.
    assert f"Theo {case.rule_set.name}, người mắc COVID-19 cách ly tại nhà ít nhất 7 ngày" in html
    assert f"tính từ ngày có kết quả dương tính ({positive}) là ngày thứ 1" in html
    assert "Không thể chuyển hồ sơ" not in html

    # The status page and the recovery page say it before a photo is taken.
    assert f"Theo {case.rule_set.name}" in status_page(case)
    page = client.get(reverse("public:recovery") + f"?code={case.tracking_code}")
    assert f"từ ngày {earliest}." in page.content.decode()


@pytest.mark.django_db
def test_a_test_made_before_the_earliest_date_is_refused_with_the_reason(
    client, commune_a, officer_a
):
    case = make_case(commune_a, positive_test_date=timezone.localdate() - timedelta(days=8))
    case_accept(case=case, by=officer_a)
    early = case.isolation_end - timedelta(days=1)
    response = client.post(
        reverse("public:recovery"),
        {
            "tracking_code": case.tracking_code,
            "secret": case.id_number,
            "negative_test_date": early.isoformat(),
            "test_type": "rapid_self",
            "tested_by": "self_supervised",
            "key": "3f1e4a8a-5b8e-4e2c-9e6c-2c1a1f0d9b7b",
            "result_photo": photo(),
        },
    )
    html = response.content.decode()
    assert f"Xét nghiệm ngày {early:%d/%m/%Y} làm trước ngày {case.isolation_end:%d/%m/%Y}" in html
    assert "Hãy xét nghiệm lại rồi khai báo." in html


def test_an_official_looking_at_record_and_photo_in_turn_is_one_line_and_batch_prints_show(
    commune_a, officer_a, leader_a, login, django_capture_on_commit_callbacks
):
    from backoffice.tests.conftest import make_case_with_photo
    from cases.services import case_accept
    from documents.batches import documents_batch_confirm, documents_batch_prepare

    case = case_accept(case=make_case_with_photo(commune_a), by=officer_a)
    officer = login(officer_a, Client())
    detail = reverse("backoffice:case", args=[case.pk])
    photo = reverse("backoffice:case_photo", args=[case.pk, case.test_photo_id])
    for path in (detail, photo, detail, photo):
        assert officer.get(path).status_code == 200
    decision = Document.objects.live().get(case=case, kind=Kind.ISOLATION_DECISION)
    job = documents_batch_prepare(by=leader_a, documents=[decision])
    with django_capture_on_commit_callbacks(execute=True):
        documents_batch_confirm(job=job, by=leader_a)
    leader = login(leader_a, Client())
    assert leader.get(reverse("documents:batch_download", args=[job.pk, "pdf"])).status_code == 200

    openings = status_page(case)
    openings = openings[openings.index('data-testid="openings"') :]
    assert openings.count("Cán bộ xã / Trạm y tế") == 1
    assert "Xem hồ sơ, xem ảnh trong hồ sơ, 4 lần" in openings
    assert "Tải văn bản (in cả đợt)" in openings


def test_a_revoked_decision_being_replaced_says_so_to_the_citizen(commune_a, officer_a, leader_a):
    from documents.services import document_revoke

    case = make_case(commune_a, status=Status.ACCEPTED, by=officer_a)
    decision = Document.objects.live().get(case=case, kind=Kind.ISOLATION_DECISION)
    document_issue(document=decision, by=leader_a)
    decision.refresh_from_db()
    document_revoke(document=decision, by=leader_a, reason="Sai tên", prepare_replacement=True)

    page = status_page(case)
    assert "ĐÃ THU HỒI" in page
    assert "đang chuẩn bị văn bản thay thế" in page
