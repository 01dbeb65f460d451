import json
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from api.models import ApiToken
from api.tests.helpers import key_for
from audit.models import AuditEntry
from cases.choices import Status
from cases.models import Case
from cases.testing import declaration_values, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_a(sysadmin, commune_a):
    return key_for(sysadmin, Role.COMMUNE_OFFICER, commune_a)[1]


@pytest.fixture
def key_b(sysadmin, commune_b):
    return key_for(sysadmin, Role.COMMUNE_OFFICER, commune_b, name="Bệnh viện huyện")[1]


def payload(**overrides):
    values = declaration_values(**overrides)
    return json.loads(json.dumps(values, default=str))


def test_the_openapi_document_is_3_1_and_the_docs_load_their_assets_from_the_site(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert "/api/v1/cases" in doc["paths"]
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def test_a_key_of_one_commune_gets_404_for_another_communes_case(client, commune_a, key_a, key_b):
    case = make_case(commune_a)
    assert client.get(f"/api/v1/cases/{case.pk}", HTTP_AUTHORIZATION=key_a).status_code == 200
    response = client.get(f"/api/v1/cases/{case.pk}", HTTP_AUTHORIZATION=key_b)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    listed = client.get("/api/v1/cases", HTTP_AUTHORIZATION=key_b).json()["items"]
    assert case.tracking_code not in [item["tracking_code"] for item in listed]


def test_lists_mask_personal_data_and_the_case_shows_it_in_full(client, commune_a, key_a):
    case = make_case(commune_a, full_name="Nguyễn Thị Hoa")
    item = client.get("/api/v1/cases", HTTP_AUTHORIZATION=key_a).json()["items"][0]
    assert item["full_name"] == "Nguyễn T** H**"
    assert item["id_number"] != case.id_number and item["id_number"].endswith(case.id_number[-2:])
    detail = client.get(f"/api/v1/cases/{case.pk}", HTTP_AUTHORIZATION=key_a)
    assert detail.json()["full_name"] == "Nguyễn Thị Hoa"
    assert detail.json()["id_number"] == case.id_number
    assert detail["ETag"] == detail.json()["version"]


def test_a_revoked_or_expired_key_gets_401_in_both_languages(client, sysadmin, commune_a):
    token, key = key_for(sysadmin, Role.COMMUNE_OFFICER, commune_a)
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=key).status_code == 200
    from api.services import api_token_revoke

    api_token_revoke(token=token, by=sysadmin)
    response = client.get("/api/v1/cases", HTTP_AUTHORIZATION=key)
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthorized"
    assert body["message"]["vi"].startswith("Cần khóa API")
    assert body["message"]["en"]

    expired, key2 = key_for(sysadmin, Role.COMMUNE_OFFICER, commune_a)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=key2).status_code == 401


def test_anonymous_callers_get_401_not_a_login_page(client):
    response = client.get("/api/v1/cases")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")


def test_keys_are_kept_hashed_and_every_use_is_audited(client, sysadmin, commune_a):
    token, key = key_for(sysadmin, Role.COMMUNE_OFFICER, commune_a)
    raw = key.removeprefix("Bearer ")
    assert raw not in token.digest and len(token.digest) == 64
    client.get("/api/v1/cases", HTTP_AUTHORIZATION=key)
    client.get("/api/v1/cases?status=accepted", HTTP_AUTHORIZATION=key)
    uses = AuditEntry.objects.filter(action="api.call", actor=token.account)
    assert uses.count() == 2
    assert uses.first().detail["method"] == "GET"


def test_a_retried_push_with_the_same_idempotency_key_creates_one_case(client, key_a):
    body = json.dumps(payload())
    headers = {"HTTP_AUTHORIZATION": key_a, "HTTP_IDEMPOTENCY_KEY": "lab-42-row-7"}
    first = client.post("/api/v1/cases", body, content_type="application/json", **headers)
    again = client.post("/api/v1/cases", body, content_type="application/json", **headers)
    assert first.status_code == 201, first.json()
    assert again.status_code == 200
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    assert Case.objects.count() == 1
    other = client.post(
        "/api/v1/cases", json.dumps(payload()), content_type="application/json", **headers
    )
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_conflict"
    assert Case.objects.count() == 1


def test_a_refused_push_names_the_field_in_both_languages(client, key_a):
    body = payload(positive_test_date=str(timezone.localdate() + timedelta(days=3)))
    response = client.post(
        "/api/v1/cases",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=key_a,
    )
    assert response.status_code == 400
    error = response.json()
    assert error["field"] == "positive_test_date"
    assert error["message"] == {
        "vi": "Ngày xét nghiệm không được sau ngày hôm nay.",
        "en": "The test date cannot be later than today.",
    }


def test_a_key_pushes_only_for_its_own_commune(client, key_b, commune_a):
    body = {**payload(), "commune": commune_a.code}
    response = client.post(
        "/api/v1/cases",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=key_b,
    )
    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_actions_take_the_version_read_412_when_it_changed_409_when_illegal(
    client, commune_a, key_a, officer_a
):
    case = make_case(commune_a)
    read = client.get(f"/api/v1/cases/{case.pk}", HTTP_AUTHORIZATION=key_a)
    version = read["ETag"]
    # Another official corrects the case meanwhile: the version read is stale.
    from cases.services import case_correct

    case_correct(case=case, by=officer_a, changes={"village": "Thôn Mới"}, reason="Gọi điện")
    url = f"/api/v1/cases/{case.pk}/accept"
    stale = client.post(
        url, "{}", content_type="application/json", HTTP_AUTHORIZATION=key_a, HTTP_IF_MATCH=version
    )
    assert stale.status_code == 412
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED
    fresh = client.get(f"/api/v1/cases/{case.pk}", HTTP_AUTHORIZATION=key_a)["ETag"]
    done = client.post(
        url, "{}", content_type="application/json", HTTP_AUTHORIZATION=key_a, HTTP_IF_MATCH=fresh
    )
    assert done.status_code == 200
    assert done.json()["status"] == Status.ACCEPTED
    assert done["ETag"] != fresh
    twice = client.post(
        url,
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=key_a,
        HTTP_IF_MATCH=done["ETag"],
    )
    assert twice.status_code == 409
    assert twice.json()["code"] == "illegal_transition"


def test_a_district_key_reads_but_does_not_act(client, sysadmin, commune_a, units):
    from units.testing import unit

    _, key = key_for(sysadmin, Role.DISTRICT_STAFF, unit("070"))
    case = make_case(commune_a)
    etag = client.get(f"/api/v1/cases/{case.pk}", HTTP_AUTHORIZATION=key)["ETag"]
    response = client.post(
        f"/api/v1/cases/{case.pk}/accept",
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=key,
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 403


def test_the_cursor_pages_stay_stable_when_cases_arrive(client, commune_a, key_a):
    for _ in range(5):
        make_case(commune_a)
    first = client.get("/api/v1/cases?limit=2", HTTP_AUTHORIZATION=key_a).json()
    make_case(commune_a)  # declared while the client pages
    seen = [item["id"] for item in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = client.get(f"/api/v1/cases?limit=2&cursor={cursor}", HTTP_AUTHORIZATION=key_a)
        seen += [item["id"] for item in page.json()["items"]]
        cursor = page.json()["next_cursor"]
    assert len(seen) == len(set(seen)) == 5


def test_the_status_lookup_is_rate_limited_with_retry_after(client, commune_a, settings):
    settings.RATELIMIT_ENABLED = True
    case = make_case(commune_a)
    body = json.dumps({"tracking_code": case.tracking_code, "id_number": case.id_number})
    response = client.post("/api/v1/status", body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == Status.SUBMITTED
    wrong = json.dumps({"tracking_code": case.tracking_code, "id_number": "001"})
    assert client.post("/api/v1/status", wrong, content_type="application/json").status_code == 404
    # The right pair, asked again and again, is never refused (issue 14 item 19)...
    for _ in range(12):
        response = client.post("/api/v1/status", body, content_type="application/json")
        assert response.status_code == 200
    # ... wrong ones are, from the address that keeps guessing.
    for n in range(20):
        guess = json.dumps({"tracking_code": case.tracking_code, "id_number": f"00{n}"})
        response = Client(REMOTE_ADDR="10.9.0.1").post(
            "/api/v1/status", guess, content_type="application/json"
        )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "rate_limited"


def test_an_administrator_creates_a_key_shown_once_and_revokes_it(
    client, login, sysadmin, commune_a
):
    login(sysadmin)
    response = client.post(
        "/api/tokens/",
        {
            "name": "Phòng xét nghiệm CDC",
            "role": Role.COMMUNE_OFFICER,
            "unit": commune_a.pk,
            "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    raw = response.context["raw"]
    assert raw.startswith("kf0_")
    listing = client.get("/api/tokens/").content.decode()
    assert "Phòng xét nghiệm CDC" in listing and raw not in listing
    token = ApiToken.objects.get()
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    client.post(f"/api/tokens/{token.pk}/revoke/")
    # A refused key is refused even beside the administrator's own session.
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_refused_key_form_keeps_what_was_typed(client, login, sysadmin, commune_a):
    login(sysadmin)
    response = client.post(
        "/api/tokens/",
        {
            "name": "Phòng xét nghiệm CDC",
            "role": Role.DISTRICT_STAFF,
            "unit": commune_a.pk,
            "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "phải gắn với đơn vị cấp" in str(response.context["form"].errors["unit"])
    assert "Phòng xét nghiệm CDC" in response.content.decode()


def test_a_commune_officer_may_not_reach_the_keys_page(client, login, officer_a):
    login(officer_a)
    assert client.get("/api/tokens/").status_code == 403


def test_a_signed_in_official_reads_cases_with_the_session(client, login, officer_a, commune_a):
    case = make_case(commune_a)
    login(officer_a)
    response = client.get(f"/api/v1/cases/{case.pk}")
    assert response.status_code == 200


def test_a_submitted_key_is_bound_to_a_new_case(client, key_a):
    key = str(uuid.uuid4())
    response = client.post(
        "/api/v1/cases",
        json.dumps(payload()),
        content_type="application/json",
        HTTP_AUTHORIZATION=key_a,
        HTTP_IDEMPOTENCY_KEY=key,
    )
    case = Case.objects.get(pk=response.json()["id"])
    assert case.entered_by.username.startswith("api.")
    assert case.events.first().actor_label == "API: Phòng xét nghiệm"


def test_the_export_streams_every_case_in_scope_one_json_line_each(
    client, commune_a, commune_b, key_a
):
    mine = [make_case(commune_a) for _ in range(3)]
    make_case(commune_b)
    response = client.get("/api/v1/export/cases.ndjson", HTTP_AUTHORIZATION=key_a)
    assert response.streaming, response.content
    assert response["Content-Type"] == "application/x-ndjson"
    lines = b"".join(response.streaming_content).decode().splitlines()
    rows = [json.loads(line) for line in lines]
    assert [row["tracking_code"] for row in rows] == [case.tracking_code for case in mine]
    assert rows[0]["commune"] == commune_a.code
    assert rows[0]["id_number"] == mine[0].id_number
    assert AuditEntry.objects.filter(action="case.export").count() == 1


def test_the_figures_count_the_days_declarations_within_the_callers_unit(
    client, sysadmin, commune_a, commune_b, key_a, units
):
    from units.testing import unit

    make_case(commune_a)
    make_case(commune_a)
    make_case(commune_b)
    mine = client.get("/api/v1/figures", HTTP_AUTHORIZATION=key_a).json()
    assert mine["total"]["new_on_day"] == 2
    assert mine["total"]["awaiting"] == 2
    _, district_key = key_for(sysadmin, Role.DISTRICT_STAFF, unit("070"))
    district = client.get("/api/v1/figures", HTTP_AUTHORIZATION=district_key).json()
    assert {row["unit"]["code"] for row in district["children"]} >= {commune_a.code}
    outside = client.get(f"/api/v1/figures?unit={commune_b.code}", HTTP_AUTHORIZATION=key_a)
    assert outside.status_code == 404


def test_a_body_over_the_limit_gets_413(client, key_a, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({**payload(), "village": "x" * 2000})
    response = client.post(
        "/api/v1/cases", body, content_type="application/json", HTTP_AUTHORIZATION=key_a
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_a_call_with_a_key_leaves_no_session_and_is_not_cached(client, key_a):
    from django.contrib.sessions.models import Session

    response = client.get("/api/v1/cases", HTTP_AUTHORIZATION=key_a)
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0
    assert "no-store" in response["Cache-Control"]


def test_a_schema_refusal_names_the_field_as_the_client_sent_it(client, key_a):
    body = {**payload(), "vaccine_doses": 9}
    response = client.post(
        "/api/v1/cases", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=key_a
    )
    assert response.status_code == 400
    assert response.json()["field"] == "vaccine_doses"


def test_inputs_are_read_as_the_description_says_not_guessed(client, key_a):
    # "0" is no date (pydantic alone reads it as a Unix time) and "2" in JSON is no number.
    listed = client.get("/api/v1/cases?submitted_to=0", HTTP_AUTHORIZATION=key_a)
    assert listed.status_code == 400 and listed.json()["field"] == "submitted_to"
    body = {**payload(), "vaccine_doses": "2"}
    pushed = client.post(
        "/api/v1/cases", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=key_a
    )
    assert pushed.status_code == 400 and pushed.json()["field"] == "vaccine_doses"
    wrong_code = client.get("/api/v1/cases?commune=abc", HTTP_AUTHORIZATION=key_a)
    assert wrong_code.status_code == 400
    assert Case.objects.count() == 0
