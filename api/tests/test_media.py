"""Bodies in a media type the operation does not read get 415 with a JSON error in both
languages, after the caller was authenticated; a body that does not parse gets 400."""

import json

import pytest

from accounts.models import Role
from api.tests.helpers import key_for
from cases.models import Case
from cases.testing import declaration_values, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_a(sysadmin, commune_a):
    return key_for(sysadmin, Role.COMMUNE_OFFICER, commune_a)[1]


def values():
    return json.loads(json.dumps(declaration_values(), default=str))


def test_an_enrolment_sent_as_a_form_gets_415_and_creates_nothing(client, key_a):
    form = {name: value for name, value in values().items() if value is not None}
    response = client.post("/api/v1/cases", form, HTTP_AUTHORIZATION=key_a)
    assert response.status_code == 415
    error = response.json()
    assert error["code"] == "unsupported_media_type"
    assert error["field"] == "Content-Type"
    assert "application/json" in error["message"]["vi"]
    assert error["message"]["en"]
    assert Case.objects.count() == 0


def test_an_action_sent_as_plain_text_gets_415(client, key_a, commune_a):
    case = make_case(commune_a)
    response = client.post(
        f"/api/v1/cases/{case.pk}/accept",
        '{"note": ""}',
        content_type="text/plain",
        HTTP_AUTHORIZATION=key_a,
        HTTP_IF_MATCH="*",
    )
    assert response.status_code == 415
    case.refresh_from_db()
    assert case.status == "submitted"


def test_a_declaration_sent_as_json_where_a_photo_is_expected_gets_415(client, commune_a):
    body = {**values(), "commune": commune_a.code, "consent": True}
    response = client.post(
        "/api/v1/declarations", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert "multipart/form-data" in response.json()["message"]["vi"]


def test_a_caller_without_a_key_gets_401_before_any_415(client):
    response = client.post("/api/v1/cases", "x", content_type="text/plain")
    assert response.status_code == 401


def test_a_body_that_is_not_json_gets_400_saying_so_in_both_languages(client, key_a):
    response = client.post(
        "/api/v1/cases", "{not json", content_type="application/json", HTTP_AUTHORIZATION=key_a
    )
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid"
    assert error["message"]["vi"] == "Dữ liệu gửi lên chưa hợp lệ."


def test_the_description_gives_415_wherever_a_body_is_read(client):
    doc = client.get("/api/v1/openapi.json").json()
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            if "requestBody" in operation:
                assert "415" in operation["responses"], (method, path)
    assert "415" in doc["info"]["description"]
