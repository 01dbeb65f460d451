import io
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backoffice.selectors import inbox_page
from backoffice.tests.conftest import make_case_with_photo
from cases.models import Case
from cases.services import case_accept, case_transfer
from cases.testing import make_case
from uploads.tests.factories import picture

INBOX = reverse("backoffice:inbox")


def jpeg(image) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return SimpleUploadedFile("t.jpg", buffer.getvalue(), content_type="image/jpeg")


def age_case(case, hours):
    Case.objects.filter(pk=case.pk).update(submitted_at=timezone.now() - timedelta(hours=hours))


@pytest.mark.django_db
def test_officer_sees_own_commune_cases_oldest_first_with_waiting_time(
    client, login, officer_a, commune_a, commune_b
):
    newer = make_case(commune_a, full_name="Trần Văn Mới")
    older = make_case(commune_a, full_name="Lê Thị Cũ")
    make_case(commune_b, full_name="Hoàng Văn Khác")
    age_case(older, 3)
    login(officer_a)
    html = client.get(INBOX).content.decode()
    assert html.index("Lê Thị Cũ") < html.index("Trần Văn Mới")
    assert "Hoàng Văn Khác" not in html
    assert "chờ 3 giờ" in html
    assert newer.tracking_code in html


@pytest.mark.django_db
def test_lists_mask_id_number_and_phone_and_hide_house_number(client, login, officer_a, commune_a):
    case = make_case(
        commune_a,
        id_number="008190001256",
        phone="0912345678",
        house_number="Số 17 ngõ 5 đường Bình Thuận",
    )
    login(officer_a)
    html = client.get(INBOX).content.decode()
    assert "0081******56" in html
    assert "091****678" in html
    assert case.id_number not in html
    assert "0912345678" not in html
    assert "ngõ 5" not in html


@pytest.mark.django_db
def test_danger_signs_come_first_and_red(client, login, officer_a, commune_a):
    make_case(
        commune_a, symptoms=["breathlessness"], date_of_birth=date(1950, 1, 1), vaccine_doses=0
    )
    login(officer_a)
    html = client.get(INBOX).content.decode()
    tags = re.findall(r'<span class="tag tag--(\w+)">([^<]+)</span>', html)
    risk = [
        t for t in tags if t[1] in ("Dấu hiệu nguy hiểm", "Từ 65 tuổi", "Chưa tiêm đủ liều vắc xin")
    ]
    assert risk[0] == ("danger", "Dấu hiệu nguy hiểm")
    assert ("warning", "Từ 65 tuổi") in risk


@pytest.mark.django_db
def test_district_staff_read_only_and_other_district_sees_nothing(
    client, login, district_staff, district_other, commune_a, commune_a2
):
    make_case(commune_a, full_name="Nguyễn Văn An")
    make_case(commune_a2, full_name="Phạm Thị Bình")
    login(district_staff)
    html = client.get(INBOX).content.decode()
    assert "Nguyễn Văn An" in html and "Phạm Thị Bình" in html
    assert 'id="bulk-form"' not in html
    assert reverse("backoffice:enrol") not in html
    login(district_other)
    html = client.get(INBOX).content.decode()
    assert "Nguyễn Văn An" not in html


@pytest.mark.django_db
def test_system_admin_has_no_inbox(client, login, sysadmin):
    login(sysadmin)
    assert client.get(INBOX).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["nguyen thi hoa", "Thị Hoa", "0987654321", "+84987654321", "008190777777", "tracking"],
)
def test_search_by_name_without_diacritics_phone_id_or_tracking_code(
    client, login, officer_a, commune_a, query
):
    target = make_case(
        commune_a,
        full_name="Nguyễn Thị Hoa",
        phone="0987654321",
        id_number="008190777777",
        date_of_birth=date(1990, 5, 5),
    )
    make_case(commune_a, full_name="Lò Văn Khác")
    if query == "tracking":
        query = target.tracking_code.lower().replace("-", " ")
    login(officer_a)
    html = client.post(INBOX, {"q": query}, follow=True).content.decode()
    assert target.tracking_code in html
    assert "Lò Văn Khác" not in html


@pytest.mark.django_db
def test_tabs_split_cases_by_what_they_need(client, login, officer_a, commune_a):
    waiting = make_case(commune_a, full_name="Chờ Tiếp Nhận")
    isolating = make_case(commune_a, full_name="Đang Cách Ly")
    case_accept(case=isolating, by=officer_a)
    late = make_case(commune_a, full_name="Chờ Lâu Quá")
    age_case(late, 30)
    danger = make_case(commune_a, full_name="Khó Thở Nặng", symptoms=["breathlessness"])
    login(officer_a)

    def names(tab):
        html = client.get(INBOX, {"tab": tab}).content.decode()
        return {
            n for n in ("Chờ Tiếp Nhận", "Đang Cách Ly", "Chờ Lâu Quá", "Khó Thở Nặng") if n in html
        }

    assert names("review") == {"Chờ Tiếp Nhận", "Chờ Lâu Quá", "Khó Thở Nặng"}
    assert names("isolating") == {"Đang Cách Ly"}
    assert names("overdue") == {"Chờ Lâu Quá"}
    assert names("danger") == {"Khó Thở Nặng"}
    assert names("all") == {"Chờ Tiếp Nhận", "Đang Cách Ly", "Chờ Lâu Quá", "Khó Thở Nặng"}
    assert waiting and danger


@pytest.mark.django_db
def test_keyset_pages_cover_every_case_once_forwards_and_back(
    officer_a, officer_a2, commune_a, commune_a2
):
    cases = [make_case(commune_a) for _ in range(7)]
    # Cases transferred in are awaiting review too, merged in date order with the others.
    for _ in range(3):
        moved = make_case(commune_a2)
        cases.append(case_transfer(case=moved, by=officer_a2, to_commune=commune_a, note="Về xã"))
    # Same second for several cases: the id breaks the tie.
    moment = timezone.now() - timedelta(hours=5)
    Case.objects.filter(pk__in=[c.pk for c in cases[:4]]).update(submitted_at=moment)
    seen, pages, after = [], [], None
    while True:
        page = inbox_page(officer_a, tab="review", after=after, page_size=3)
        pages.append(page)
        seen.extend(c.pk for c in page.rows)
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert sorted(seen) == sorted(c.pk for c in cases) and len(seen) == len(set(seen))
    ordered = list(
        Case.objects.filter(pk__in=seen).order_by("submitted_at", "pk").values_list("pk", flat=True)
    )
    assert seen == ordered
    back = inbox_page(officer_a, tab="review", before=pages[-1].prev_cursor, page_size=3)
    assert [c.pk for c in back.rows] == [c.pk for c in pages[-2].rows]


@pytest.mark.django_db
def test_pagination_links_walk_the_list(client, login, officer_a, commune_a, settings):
    for _ in range(55):
        make_case(commune_a)
    login(officer_a)
    first = client.get(INBOX)
    next_url = re.search(r'href="(\?[^"]*after=[^"]+)" rel="next"', first.content.decode())[1]
    second = client.get(INBOX + next_url.replace("&amp;", "&"))
    assert second.content.decode().count('class="inbox-name"') == 5
    assert "Trang trước" in second.content.decode()


@pytest.mark.django_db
def test_duplicate_hints_name_the_other_cases(client, login, officer_a, commune_a, commune_b):
    original = make_case(commune_a, full_name="Nguyễn Thị Hoa", date_of_birth=date(1990, 5, 5))
    case_accept(case=original, by=officer_a)
    from cases.services import case_close

    case_close(case=original, by=officer_a, outcome="hospitalised")
    # Same ID number as a closed case, same phone as a case of another commune.
    make_case(commune_b, phone="0977000111")
    again = make_case(
        commune_a,
        full_name="Nguyen Thi Hoa",
        date_of_birth=date(1990, 5, 5),
        id_number=original.id_number,
        phone="0977000111",
    )
    login(officer_a)
    html = client.get(INBOX).content.decode()
    row = html[html.index(again.tracking_code) :]
    assert "Trùng số giấy tờ" in row
    assert "Trùng họ tên và ngày sinh" in row
    assert "Trùng số điện thoại" in row
    assert original.tracking_code in row
    # The other commune's case is named by its commune, not by its code.
    assert "Thị trấn Sơn Dương" in row


@pytest.mark.django_db
def test_photo_hints_same_file_and_near_identical_picture(officer_a, commune_a):
    from uploads.services import upload_create

    image = picture(seed=3)
    first = make_case_with_photo(
        commune_a, photo=upload_create(file=jpeg(image), kind="test_photo")
    )
    # The same picture a little smaller and re-compressed: a different file, close dHash.
    resized = image.resize((600, 450))
    near = make_case_with_photo(
        commune_a, photo=upload_create(file=jpeg(resized), kind="test_photo")
    )
    other = make_case_with_photo(
        commune_a, photo=upload_create(file=jpeg(picture(seed=11)), kind="test_photo")
    )
    page = inbox_page(officer_a, tab="review")
    kinds = {
        pk: {h.kind: [o.pk for o in h.others] for h in hints} for pk, hints in page.hints.items()
    }
    assert kinds[first.pk]["photo"] == [near.pk]
    assert kinds[near.pk]["photo"] == [first.pk]
    assert "photo" not in kinds[other.pk]


@pytest.mark.django_db
def test_transferred_case_appears_in_the_receiving_inbox(
    client, login, officer_a, officer_a2, commune_a, commune_a2
):
    case = make_case(commune_a, full_name="Đinh Văn Chuyển")
    case_transfer(case=case, by=officer_a, to_commune=commune_a2, note="Ở nhà con gái")
    login(officer_a2)
    assert "Đinh Văn Chuyển" in client.get(INBOX).content.decode()
    login(officer_a)
    assert "Đinh Văn Chuyển" not in client.get(INBOX).content.decode()


def _inbox_queries(client, n_cases, commune, offset):
    for i in range(n_cases):
        make_case_with_photo(commune, color=(i % 250, offset, 40))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(INBOX)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_inbox_query_count_does_not_grow_with_cases(client, login, officer_a, commune_a):
    login(officer_a)
    client.get(INBOX)  # process-wide caches (the deployed province's name) warm up
    few = _inbox_queries(client, 20, commune_a, 0)
    many = _inbox_queries(client, 180, commune_a, 100)
    assert Case.objects.count() == 200
    assert few == many
    # session, user, unit, the capped counts of the 4 counted tabs (one per status of each:
    # an index range each), the page's ids (one query per status of the tab) and its rows
    # by id, 4 kinds of duplicate hint
    from backoffice.selectors import Tab, tab_parts

    now = timezone.now()
    counts = sum(len(tab_parts(tab, now=now)) for tab in Tab.COUNTED)
    assert many <= 3 + counts + len(tab_parts(Tab.REVIEW, now=now)) + 1 + 4


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer_a", "district_staff", "province_health"])
@pytest.mark.parametrize("tab", ["review", "isolating", "overdue", "danger", "all"])
def test_each_page_query_seeks_an_index_in_order_without_sorting(request, commune_a, persona, tab):
    from backoffice.selectors import tab_parts, tab_q
    from cases.selectors import cases_visible_to

    make_case(commune_a)
    user = request.getfixturevalue(persona)
    now = timezone.now()
    postgres = connection.vendor == "postgresql"
    if postgres:
        # On a table of one row any plan is cheap. Forbid scans and sorts: a Sort left in the
        # plan then means that no index can give the rows in this order.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
    for part in tab_parts(tab, now=now) or [tab_q(tab, now=now)]:
        plan = cases_visible_to(user).filter(part).order_by("submitted_at", "pk")[:51].explain()
        if postgres:
            assert "Index" in plan, plan
            if "case_status_isolation_end" in plan:
                assert tab == "overdue", plan  # as on SQLite below
                continue
            assert "Sort" not in plan.replace("Sort Key", ""), plan
        else:
            assert "USING INDEX" in plan, plan
            if "case_status_isolation_end" in plan:
                # Isolating past the longest isolation (the overdue tab): a range of that
                # index holds only those few cases, which are then put in order.
                assert tab == "overdue", plan
                continue
            assert "TEMP B-TREE" not in plan, plan


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["code", "id"])
def test_a_whole_code_or_id_number_opens_the_case_under_another_tab(
    client, login, officer_a, commune_a, typed
):
    """Issue 14 item 9: searched from the review tab, an isolating case was not found."""
    isolating = make_case(commune_a, full_name="Đang Cách Ly", id_number="008190555555")
    case_accept(case=isolating, by=officer_a)
    make_case(commune_a, full_name="Chờ Tiếp Nhận")
    query = isolating.tracking_code.lower() if typed == "code" else "008 190 555 555"
    login(officer_a)
    response = client.post(INBOX, {"q": query, "tab": "review"})
    assert response["Location"] == reverse("backoffice:case", args=[isolating.pk])


@pytest.mark.django_db
def test_a_search_says_which_tabs_hold_its_results(client, login, officer_a, commune_a, commune_b):
    isolating = make_case(commune_a, full_name="Nguyễn Văn Tìm")
    case_accept(case=isolating, by=officer_a)
    make_case(commune_b, full_name="Nguyễn Văn Tìm")  # another commune's: never counted
    login(officer_a)
    html = client.post(INBOX, {"q": "nguyen van tim", "tab": "review"}, follow=True)
    html = html.content.decode()
    assert "Không có hồ sơ nào khớp nội dung tìm trong nhóm này." in html
    found = re.findall(r'data-testid="found-elsewhere">([^<]+)<', html)
    assert found == ["Đang cách ly (1)", "Tất cả (1)"]
    # A code of a case outside the commune opens nothing.
    other = make_case(commune_b)
    response = client.post(INBOX, {"q": other.tracking_code, "tab": "review"})
    assert response["Location"].startswith(INBOX)


@pytest.mark.django_db
def test_a_phone_many_people_gave_names_a_few_cases_and_counts_the_rest(
    client, login, officer_a, commune_a
):
    # The health station's phone, given for twelve elderly people without one of their own:
    # each row names five others and counts the rest, rather than listing every case.
    cases = [
        make_case(commune_a, phone="0912345678", id_number=f"0081900{n:05d}") for n in range(12)
    ]
    page = inbox_page(officer_a, tab="review")
    (hint,) = [h for h in page.hints[cases[0].pk] if h.kind == "phone"]
    assert (len(hint.others), hint.total, hint.more) == (5, 11, 6)
    login(officer_a)
    text = client.get(reverse("backoffice:inbox")).content.decode()
    assert "và 8 hồ sơ khác" in text
