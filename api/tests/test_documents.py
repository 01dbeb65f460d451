"""Documents through the API: prepared, issued, revoked by the same services as the
pages, with the same rules of who may (the commune's own officials) and what may follow
what (409 for a document in the wrong state)."""

import json

import pytest

from accounts.models import Role
from api.tests.helpers import key_for
from cases.choices import Status
from cases.testing import make_case
from documents.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_key(sysadmin, commune_a):
    return {"HTTP_AUTHORIZATION": key_for(sysadmin, Role.COMMUNE_LEADER, commune_a)[1]}


def post(client, url, body, auth):
    return client.post(url, json.dumps(body), content_type="application/json", **auth)


def test_a_leader_prepares_issues_and_revokes_a_decision_and_the_replacement_is_drafted(
    client, commune_a, leader_a, leader_key
):
    case = make_case(commune_a, status=Status.ACCEPTED, by=leader_a)
    Document.objects.filter(case=case).delete()  # as a case accepted before documents existed
    prepared = post(
        client, f"/api/v1/cases/{case.pk}/documents", {"kind": "isolation_decision"}, leader_key
    )
    assert prepared.status_code == 200, prepared.content
    draft = prepared.json()
    assert draft["state"] == "prepared" and draft["number"] == ""

    issued = client.post(f"/api/v1/documents/{draft['id']}/issue", **leader_key).json()
    assert issued["state"] == "issued"
    token = issued["verification_token"]

    revoked = post(
        client,
        f"/api/v1/documents/{draft['id']}/revoke",
        {"reason": "Sai ngày sinh", "prepare_replacement": True},
        leader_key,
    )
    assert revoked.status_code == 200, revoked.content
    assert revoked.json()["state"] == "revoked"
    assert revoked.json()["revocation_reason"] == "Sai ngày sinh"
    assert client.get(f"/api/v1/documents/verify/{token}").json()["valid"] is False
    listed = client.get(f"/api/v1/cases/{case.pk}/documents", **leader_key).json()
    replacement = next(d for d in listed if d["state"] == "prepared")
    assert replacement["replaces"] == draft["id"]


def test_issuing_twice_or_revoking_a_draft_is_409_and_changes_nothing(
    client, commune_a, leader_a, leader_key
):
    case = make_case(commune_a, status=Status.ACCEPTED, by=leader_a)
    draft = client.get(f"/api/v1/cases/{case.pk}/documents", **leader_key).json()[0]
    not_yet = post(client, f"/api/v1/documents/{draft['id']}/revoke", {"reason": "x"}, leader_key)
    assert not_yet.status_code == 409
    assert not_yet.json()["code"] == "not_issued"
    first = client.post(f"/api/v1/documents/{draft['id']}/issue", **leader_key).json()
    again = client.post(f"/api/v1/documents/{draft['id']}/issue", **leader_key)
    assert again.status_code == 409
    assert again.json()["code"] == "not_prepared"
    assert again.json()["message"]["vi"].startswith("Văn bản này đã được ban hành")
    assert Document.objects.get(pk=draft["id"]).number_label == first["number"]


def test_a_revocation_without_a_reason_names_the_field(client, commune_a, leader_a, leader_key):
    case = make_case(commune_a, status=Status.ACCEPTED, by=leader_a)
    draft = client.get(f"/api/v1/cases/{case.pk}/documents", **leader_key).json()[0]
    client.post(f"/api/v1/documents/{draft['id']}/issue", **leader_key)
    response = post(client, f"/api/v1/documents/{draft['id']}/revoke", {"reason": "  "}, leader_key)
    assert response.status_code == 400
    assert response.json()["field"] == "reason"
    assert Document.objects.get(pk=draft["id"]).state == "issued"


def test_districts_may_not_prepare_and_other_communes_do_not_see_the_case(
    client, sysadmin, commune_a, commune_b, leader_a, units
):
    from units.testing import unit

    case = make_case(commune_a, status=Status.ACCEPTED, by=leader_a)
    district = {"HTTP_AUTHORIZATION": key_for(sysadmin, Role.DISTRICT_STAFF, unit("070"))[1]}
    other = {"HTTP_AUTHORIZATION": key_for(sysadmin, Role.COMMUNE_LEADER, commune_b)[1]}
    url = f"/api/v1/cases/{case.pk}/documents"
    body = {"kind": "recovery_confirmation"}
    assert post(client, url, body, district).status_code == 403
    assert post(client, url, body, other).status_code == 404
    assert not Document.objects.filter(case=case, kind="recovery_confirmation").exists()
