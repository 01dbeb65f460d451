import pytest
from django.urls import reverse

from audit.models import AuditEntry
from cases.choices import Status
from cases.models import Case
from cases.services import case_accept, case_transfer
from cases.testing import make_case
from jobs.models import BulkJob

BULK = reverse("backoffice:bulk")


def confirm(client, job):
    return client.post(reverse("backoffice:job_confirm", args=[job.pk]), follow=True)


@pytest.mark.django_db
def test_bulk_accept_of_300_cases_reports_each_failure_with_its_reason(
    client, login, officer_a, leader_a, commune_a, commune_a2
):
    cases = [make_case(commune_a) for _ in range(300)]
    login(officer_a)
    response = client.post(BULK, {"action": "accept", "scope": "all", "q": ""}, follow=True)
    job = BulkJob.objects.get()
    assert (job.kind, job.state, job.total) == ("accept_cases", "preview", 300)
    assert "Xác nhận tiếp nhận: các hồ sơ đã đánh dấu" in response.content.decode()
    assert Case.objects.filter(status=Status.ACCEPTED).count() == 0

    # Meanwhile a colleague accepts one and transfers another.
    case_accept(case=cases[10], by=leader_a)
    case_transfer(case=cases[20], by=leader_a, to_commune=commune_a2, note="Ở phường khác")

    html = confirm(client, job).content.decode()
    job.refresh_from_db()
    assert (job.state, job.done, job.failed) == ("done", 298, 2)
    assert Case.objects.filter(status=Status.ACCEPTED, commune=commune_a).count() == 299
    reasons = {error["ref"]: error["message"] for error in job.errors}
    assert reasons == {
        cases[10].tracking_code: f"Không thể chuyển hồ sơ {cases[10].tracking_code} từ trạng thái "
        "«Đang cách ly» sang «Đang cách ly».",
        cases[20].tracking_code: "Hồ sơ đã được chuyển sang xã khác.",
    }
    assert cases[10].tracking_code in html and "Hồ sơ đã được chuyển sang xã khác." in html
    assert AuditEntry.objects.filter(action="case.accept", detail__job=job.pk).count() == 298


@pytest.mark.django_db
def test_bulk_reject_of_ticked_cases_with_one_reason(client, login, officer_a, commune_a):
    ticked = [make_case(commune_a) for _ in range(3)]
    untouched = make_case(commune_a)
    login(officer_a)
    client.post(
        BULK,
        {
            "action": "reject",
            "reason": "not_resident",
            "note": "Đã chuyển đi nơi khác",
            "scope": "selected",
            "case": [c.pk for c in ticked],
        },
    )
    job = BulkJob.objects.get()
    confirm(client, job)
    for case in ticked:
        case.refresh_from_db()
        assert (case.status, case.rejection_reason) == (Status.REJECTED, "not_resident")
        assert case.rejection_note == "Đã chuyển đi nơi khác"
    assert Case.objects.get(pk=untouched.pk).status == Status.SUBMITTED
    assert AuditEntry.objects.filter(action="case.reject").count() == 3


@pytest.mark.django_db
def test_all_matching_the_filter_means_the_search_too(client, login, officer_a, commune_a):
    make_case(commune_a, full_name="Lý Thị Tìm")
    make_case(commune_a, full_name="Hà Văn Khác")
    login(officer_a)
    client.post(BULK, {"action": "accept", "scope": "all", "q": "ly thi tim"})
    job = BulkJob.objects.get()
    assert job.total == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data,message",
    [
        ({"action": "reject", "scope": "all"}, "Vui lòng chọn lý do từ chối tiếp nhận."),
        (
            {"action": "reject", "reason": "other", "scope": "all"},
            "Vui lòng ghi rõ lý do khác.",
        ),
        ({"action": "accept", "scope": "selected"}, "Vui lòng đánh dấu ít nhất một hồ sơ."),
    ],
)
def test_bulk_form_says_what_is_missing(client, login, officer_a, commune_a, data, message):
    make_case(commune_a)
    login(officer_a)
    response = client.post(BULK, data, follow=True)
    assert message in response.content.decode()
    assert not BulkJob.objects.exists()


@pytest.mark.django_db
def test_cases_of_another_commune_cannot_be_slipped_in(client, login, officer_a, commune_b):
    foreign = make_case(commune_b)
    login(officer_a)
    response = client.post(
        BULK, {"action": "accept", "scope": "selected", "case": [foreign.pk]}, follow=True
    )
    assert "Không có hồ sơ chờ tiếp nhận nào" in response.content.decode()
    assert not BulkJob.objects.exists()
    assert Case.objects.get(pk=foreign.pk).status == Status.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["district_staff", "province_health"])
def test_monitoring_roles_have_no_bulk_actions(request, client, login, commune_a, persona):
    case = make_case(commune_a)
    login(request.getfixturevalue(persona))
    assert client.post(BULK, {"action": "accept", "scope": "all"}).status_code == 403
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


@pytest.mark.django_db
def test_inbox_offers_checkboxes_on_the_review_tab_only(client, login, officer_a, commune_a):
    case = make_case(commune_a)
    login(officer_a)
    html = client.get(reverse("backoffice:inbox")).content.decode()
    assert f'name="case" value="{case.pk}" form="bulk-form"' in html
    html = client.get(reverse("backoffice:inbox"), {"tab": "all"}).content.decode()
    assert 'name="case"' not in html


@pytest.mark.django_db
def test_bulk_accept_shows_danger_signs_and_duplicates_and_holds_them_unticked(
    client, login, officer_a, commune_a
):
    """Issue 14 item 8: the confirmation listed only tracking codes, and a case with danger
    signs and one with a duplicate photo were accepted unseen."""
    import re

    from backoffice.tests.conftest import make_case_with_photo
    from backoffice.tests.test_inbox import jpeg
    from uploads.services import upload_create
    from uploads.tests.factories import picture

    plain = make_case(commune_a, full_name="Trần Văn Bình")
    danger = make_case(commune_a, full_name="Lê Thị Khó Thở", symptoms=["breathlessness"])
    photo = jpeg(picture(seed=3))
    earlier = make_case_with_photo(commune_a, photo=upload_create(file=photo, kind="test_photo"))
    case_accept(case=earlier, by=officer_a)
    photo.seek(0)
    twin = make_case_with_photo(
        commune_a,
        full_name="Phạm Văn Trùng",
        photo=upload_create(file=jpeg(picture(seed=3)), kind="test_photo"),
    )
    login(officer_a)
    page = client.post(BULK, {"action": "accept", "scope": "all", "q": ""}, follow=True)
    html = page.content.decode()
    job = BulkJob.objects.get()
    # Names, the danger sign and the duplicate photo are on the confirmation.
    for name in ("Trần Văn Bình", "Lê Thị Khó Thở", "Phạm Văn Trùng"):
        assert name in html
    assert "Dấu hiệu nguy hiểm" in html and "Trùng ảnh xét nghiệm" in html
    assert "2 hồ sơ có dấu hiệu nguy hiểm hoặc có thể trùng chưa được đánh dấu" in html
    ticked = {int(pk) for pk in re.findall(r'name="case" value="([0-9]+)"[^>]*checked', html)}
    assert ticked == {plain.pk}
    # Confirmed as shown: the two held cases still wait.
    client.post(
        reverse("backoffice:job_confirm", args=[job.pk]), {"picking": "1", "case": [plain.pk]}
    )
    statuses = dict(Case.objects.values_list("pk", "status"))
    assert statuses[plain.pk] == Status.ACCEPTED
    assert statuses[danger.pk] == statuses[twin.pk] == Status.SUBMITTED


@pytest.mark.django_db
def test_a_held_case_goes_through_once_the_officer_ticks_it(client, login, officer_a, commune_a):
    danger = make_case(commune_a, symptoms=["breathlessness"])
    login(officer_a)
    client.post(BULK, {"action": "accept", "scope": "selected", "case": [danger.pk]})
    job = BulkJob.objects.get()
    # Nothing ticked: refused with a message, nothing written.
    page = client.post(
        reverse("backoffice:job_confirm", args=[job.pk]), {"picking": "1"}, follow=True
    )
    assert "Vui lòng đánh dấu ít nhất một hồ sơ." in page.content.decode()
    assert BulkJob.objects.get().state == "preview"
    client.post(
        reverse("backoffice:job_confirm", args=[job.pk]), {"picking": "1", "case": [danger.pk]}
    )
    assert Case.objects.get(pk=danger.pk).status == Status.ACCEPTED


@pytest.mark.django_db
def test_a_finished_bulk_accept_lists_the_people_it_accepted(client, login, officer_a, commune_a):
    """Issue 14 item 11: the result gave counts only."""
    first = make_case(commune_a, full_name="Đỗ Văn Một")
    second = make_case(commune_a, full_name="Vũ Thị Hai")
    other = make_case(commune_a, full_name="Không Được Chọn")
    login(officer_a)
    client.post(BULK, {"action": "accept", "scope": "selected", "case": [first.pk, second.pk]})
    html = confirm(client, BulkJob.objects.get()).content.decode()
    table = html.split('data-testid="job-people"')[1]
    assert "Đỗ Văn Một" in table and "Vũ Thị Hai" in table and first.tracking_code in table
    assert other.full_name not in table
