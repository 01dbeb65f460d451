"""Searching the case lists by name, phone, ID number and code through the indexes that
keep it fast at millions of cases (cases.name_search), on SQLite and on PostgreSQL."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.name_search import FTS_TABLE
from cases.retention import cases_purge_personal_data
from cases.services import case_correct
from cases.testing import make_case

INBOX = reverse("backoffice:inbox")


def listed(client, text: str) -> str:
    """The inbox's 'all' tab after searching `text` (the search is posted, as on the page)."""
    return client.post(INBOX, {"tab": "all", "q": text}, follow=True).content.decode()


@pytest.fixture
def people(commune_a, commune_b):
    return {
        "an": make_case(
            commune_a,
            full_name="Nguyễn Văn An",
            phone="0912345678",
            id_number="008090123456",
            date_of_birth=date(1990, 3, 4),
        ),
        "anh": make_case(commune_a, full_name="Trần Văn Anh", date_of_birth=date(1985, 1, 2)),
        "hoa": make_case(commune_a, full_name="Lê Thị Hoa", date_of_birth=date(1979, 6, 7)),
        "elsewhere": make_case(
            commune_b, full_name="Phạm Văn An", phone="0912345678", date_of_birth=date(1992, 2, 2)
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["văn an", "Van An", "VĂN AN", "n văn a"])
def test_a_part_of_the_name_finds_it_with_or_without_marks(client, login, officer_a, people, text):
    login(officer_a)
    html = listed(client, text)
    assert people["an"].tracking_code in html
    assert people["anh"].tracking_code in html  # "Văn Anh" holds "văn an" too
    assert people["hoa"].tracking_code not in html
    assert people["elsewhere"].tracking_code not in html  # another commune's case


@pytest.mark.django_db
def test_two_letters_of_a_name_still_find_it(client, login, officer_a, people):
    """Fewer than three letters make no trigram: the search still answers, row by row."""
    login(officer_a)
    html = listed(client, "oa")
    assert people["hoa"].tracking_code in html
    assert people["an"].tracking_code not in html


@pytest.mark.django_db
def test_phone_id_and_code_find_the_case_only_in_the_unit(
    client, login, officer_a, officer_b, district_staff, people
):
    login(officer_a)
    html = listed(client, "0912 345 678")
    assert people["an"].tracking_code in html
    assert people["elsewhere"].tracking_code not in html
    # A whole ID number or code opens the case it names.
    for text in ("008090123456", people["an"].tracking_code.lower()):
        response = client.post(INBOX, {"tab": "all", "q": text})
        assert response["Location"] == reverse("backoffice:case", args=[people["an"].pk])
    login(officer_b)
    assert people["an"].tracking_code not in listed(client, "van an")
    # The code typed is shown back in the search box, the case itself nowhere.
    case_url = reverse("backoffice:case", args=[people["an"].pk])
    assert case_url not in listed(client, people["an"].tracking_code)
    assert client.get(reverse("backoffice:case", args=[people["an"].pk])).status_code == 404
    login(district_staff)  # Thành phố Tuyên Quang holds commune A, not commune B
    html = listed(client, "van an")
    assert people["an"].tracking_code in html
    assert people["elsewhere"].tracking_code not in html


@pytest.mark.django_db
def test_a_corrected_name_is_found_by_the_new_name_and_not_the_old(
    client, login, officer_a, people
):
    case_correct(
        case=people["an"],
        by=officer_a,
        changes={"full_name": "Nguyễn Văn Bình"},
        reason="Khai nhầm tên",
    )
    login(officer_a)
    assert people["an"].tracking_code in listed(client, "van binh")
    assert people["an"].tracking_code not in listed(client, "nguyen van an")
    assert people["anh"].tracking_code in listed(client, "van an")


@pytest.mark.django_db
def test_a_deleted_or_purged_case_is_no_longer_found(client, login, officer_a, people):
    Case.objects.filter(pk=people["anh"].pk).delete()
    Case.objects.filter(pk=people["an"].pk).update(
        status="closed", closed_at=timezone.now() - timedelta(days=3650)
    )
    cases_purge_personal_data(closed_before=timezone.now() - timedelta(days=3000))
    login(officer_a)
    html = listed(client, "van an")
    assert people["an"].tracking_code not in html
    assert people["anh"].tracking_code not in html
    assert people["hoa"].tracking_code in listed(client, "thi hoa")


@pytest.mark.django_db
def test_the_name_search_reads_its_index(officer_a, people):
    """SQLite answers from the FTS5 trigram table; PostgreSQL can use the trigram index."""
    from backoffice.selectors import inbox_page

    if connection.vendor == "sqlite":
        with CaptureQueriesContext(connection) as queries:
            page = inbox_page(officer_a, tab="all", search="van an")
        assert {c.pk for c in page.rows} == {people["an"].pk, people["anh"].pk}
        assert any(FTS_TABLE in q["sql"] for q in queries.captured_queries)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE name_key LIKE %s", ["%van an%"])  # noqa: S608
            assert cursor.fetchone()[0] == 3  # every commune: the unit comes after
    else:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            query = Case.objects.filter(name_key__contains="van an").values("pk")
            sql, params = query.query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "case_name_key_trgm" in plan
