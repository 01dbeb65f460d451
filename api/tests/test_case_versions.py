"""The API follows the pages' rule for two officials on one case (cases.lifecycle): the ETag
is the case's version, and a correction (PATCH) takes it as an action does."""

import json

import pytest

from accounts.models import Role
from api.tests.helpers import key_for
from cases.choices import EventKind
from cases.models import CaseEvent
from cases.services import case_correct
from cases.testing import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_a(sysadmin, commune_a):
    return key_for(sysadmin, Role.COMMUNE_OFFICER, commune_a)[1]


def patch(client, case, key, body, version):
    return client.patch(
        f"/api/v1/cases/{case.pk}",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=key,
        HTTP_IF_MATCH=version,
    )


def test_a_correction_through_the_api_takes_the_version_and_changes_only_what_it_names(
    client, commune_a, key_a, leader_a
):
    case = make_case(commune_a, phone="0912000001", village="Thôn Cũ")
    version = client.get(f"/api/v1/cases/{case.pk}", HTTP_AUTHORIZATION=key_a)["ETag"]
    assert version == f'"{case.version}"'
    case_correct(case=case, by=leader_a, changes={"phone": "0987000002"}, reason="Gọi lại")

    body = {"changes": {"village": "Thôn Mới"}, "reason": "Đổi chỗ ở"}
    assert patch(client, case, key_a, body, version).status_code == 412
    fresh = client.get(f"/api/v1/cases/{case.pk}", HTTP_AUTHORIZATION=key_a)["ETag"]
    done = patch(client, case, key_a, body, fresh)

    assert done.status_code == 200
    case.refresh_from_db()
    assert (case.phone, case.village) == ("0987000002", "Thôn Mới")
    assert done["ETag"] == f'"{case.version}"' != fresh
    last = CaseEvent.objects.filter(case=case, kind=EventKind.CORRECTED).last()
    assert set(last.data["changes"]) == {"village"}


def test_an_api_correction_is_checked_as_the_page_checks_it(client, commune_a, key_a):
    case = make_case(commune_a)
    version = client.get(f"/api/v1/cases/{case.pk}", HTTP_AUTHORIZATION=key_a)["ETag"]

    bad = patch(client, case, key_a, {"changes": {"phone": "12"}, "reason": "x"}, version)
    unknown = patch(client, case, key_a, {"changes": {"status": "closed"}, "reason": "x"}, version)
    no_reason = patch(
        client, case, key_a, {"changes": {"village": "Thôn Mới"}, "reason": ""}, version
    )

    assert [bad.status_code, unknown.status_code, no_reason.status_code] == [400, 400, 400]
    assert [bad.json()["field"], unknown.json()["field"], no_reason.json()["field"]] == [
        "phone",
        "status",
        "reason",
    ]
    case.refresh_from_db()
    assert case.village == "Thôn Cầu Bâm"
