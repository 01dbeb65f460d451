"""A whole case through the API alone: a citizen declares with a photo, the commune
accepts and issues the isolation decision, the PDF is downloaded, the citizen declares
recovery, the commune confirms and issues the confirmation, anyone verifies it."""

import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from api.tests.helpers import key_for
from cases.choices import Status
from cases.testing import declaration_values, jpeg_bytes

pytestmark = pytest.mark.django_db


def multipart(values: dict) -> dict:
    data = {}
    for name, value in values.items():
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
        if isinstance(value, bool):
            data[name] = "true" if value else "false"
    return data


def photo(name="test.jpg"):
    file = io.BytesIO(jpeg_bytes())
    file.name = name
    return file


def test_a_case_from_declaration_to_verified_confirmation(client, sysadmin, commune_a):
    _, key = key_for(sysadmin, Role.COMMUNE_LEADER, commune_a, name="Phần mềm của xã")
    auth = {"HTTP_AUTHORIZATION": key}
    values = declaration_values(
        full_name="Trần Văn Bình",
        sex="male",
        positive_test_date=timezone.localdate() - timedelta(days=8),
    )
    declared = client.post(
        "/api/v1/declarations",
        {**multipart(values), "commune": commune_a.code, "consent": "true", "test_photo": photo()},
    )
    assert declared.status_code == 201, declared.content
    code = declared.json()["tracking_code"]

    listed = client.get("/api/v1/cases?status=submitted", **auth).json()["items"]
    case_id = next(item["id"] for item in listed if item["tracking_code"] == code)
    etag = client.get(f"/api/v1/cases/{case_id}", **auth)["ETag"]
    accepted = client.post(
        f"/api/v1/cases/{case_id}/accept",
        "{}",
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **auth,
    )
    assert accepted.json()["status"] == Status.ACCEPTED

    decision = client.get(f"/api/v1/cases/{case_id}/documents", **auth).json()[0]
    assert decision["state"] == "prepared"
    issued = client.post(f"/api/v1/documents/{decision['id']}/issue", **auth).json()
    assert issued["state"] == "issued" and issued["number"]
    pdf = client.get(f"/api/v1/documents/{decision['id']}/pdf", **auth)
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages[0].extract_text()
    assert "Trần Văn Bình" in text

    recovery = client.post(
        "/api/v1/recovery-declarations",
        {
            "tracking_code": code,
            "secret": values["id_number"],
            "negative_test_date": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "test_type": "rapid_self",
            "tested_by": "health_worker",
            "result_photo": photo("negative.jpg"),
        },
    )
    assert recovery.status_code == 201, recovery.content
    assert recovery.json()["status"] == Status.RECOVERY_REQUESTED

    etag = client.get(f"/api/v1/cases/{case_id}", **auth)["ETag"]
    confirmed = client.post(
        f"/api/v1/cases/{case_id}/confirm-recovery",
        "{}",
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **auth,
    )
    assert confirmed.status_code == 200, confirmed.content
    documents = client.get(f"/api/v1/cases/{case_id}/documents", **auth).json()
    confirmation = next(d for d in documents if d["kind"] == "recovery_confirmation")
    issued = client.post(f"/api/v1/documents/{confirmation['id']}/issue", **auth).json()

    verified = client.get(f"/api/v1/documents/verify/{issued['verification_token']}").json()
    assert verified["valid"] is True
    assert verified["kind"] == "recovery_confirmation"
    assert verified["holder"] == "Trần V** B***"

    status = client.post(
        "/api/v1/status",
        json.dumps({"tracking_code": code, "id_number": values["id_number"]}),
        content_type="application/json",
    ).json()
    assert status["status"] == Status.RECOVERED
