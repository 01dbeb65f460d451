"""DATABASE_REPLICA_URL: the monitoring pages read a replica, everything else the primary.

In the tests the replica is a second connection to the test database (a Django test
mirror), so what the pages read through it can be told apart from what the primary serves.
"""

import re

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.testing import ensure_rules, make_case
from core.replica import replica_reads
from reports.models import CommuneStatus
from reports.summaries import summaries_refresh

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica(settings):
    settings.REPORTS_READ_REPLICA = True
    ensure_rules()  # a transactional test starts from a flushed database


def statements(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries]


def test_dashboards_read_the_replica_and_sessions_the_primary(
    replica, client, login, commune_a, commune_b, district_staff
):
    for _ in range(3):
        make_case(commune_a)
    make_case(commune_b)
    summaries_refresh()
    login(district_staff)

    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        page = client.get(reverse("reports:dashboard"))

    assert page.status_code == 200
    html = page.content.decode()
    # Thành phố Tuyên Quang: the three of commune A, not the one of Sơn Dương.
    assert re.search(r"Chờ xã tiếp nhận</span><span class=\"stat__value\">3<", html)
    assert any("reports_communestatus" in sql for sql in statements(on_replica))
    assert not any("reports_communestatus" in sql for sql in statements(on_primary))
    # Who is signed in is read from the primary: a replica a moment behind signs no one out.
    assert any("django_session" in sql for sql in statements(on_primary))
    assert not any(
        "django_session" in sql or "accounts_user" in sql for sql in statements(on_replica)
    )
    assert not any(
        sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        for sql in statements(on_replica)
    )


def test_the_summary_refresh_reads_the_primary_even_from_a_replica_page(replica, commune_a):
    make_case(commune_a)
    with replica_reads(), CaptureQueriesContext(connections["replica"]) as on_replica:
        summaries_refresh()
    assert statements(on_replica) == []
    assert CommuneStatus.objects.get(commune=commune_a, status="submitted").count == 1


def test_other_pages_and_every_write_use_the_primary(replica, client, login, officer_a):
    case = make_case(officer_a.unit)
    login(officer_a)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get(reverse("backoffice:case", args=[case.pk])).status_code == 200
        accepted = client.post(reverse("backoffice:case_accept", args=[case.pk]))
    assert accepted.status_code == 302
    case.refresh_from_db()
    assert case.status == "accepted"
    assert statements(on_replica) == []
