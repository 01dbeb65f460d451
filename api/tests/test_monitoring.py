"""Daily self-monitoring through the API: the person reports with the link's token as on
the page, the commune reads the reports of its case, no one else does."""

import json

import pytest

from accounts.models import Role
from api.tests.helpers import key_for
from cases.choices import RiskFlag, Status
from cases.models import DailyReport
from cases.monitoring import link_for, token_for
from cases.testing import make_case

pytestmark = pytest.mark.django_db


def report(client, token, **body):
    return client.post(
        f"/api/v1/monitoring/{token}/reports", json.dumps(body), content_type="application/json"
    )


@pytest.fixture
def isolating(commune_a, officer_a):
    return make_case(commune_a, status=Status.ACCEPTED, by=officer_a)


def test_a_low_spo2_reported_with_the_token_escalates_and_the_commune_reads_it(
    client, sysadmin, commune_a, commune_b, isolating
):
    token = token_for(link_for(isolating))
    assert report(client, token, feeling_fine=True).status_code == 201
    sent = report(client, token, spo2=96, temperature=37.8, symptoms=["cough"])
    assert sent.status_code == 201, sent.content
    assert sent.json()["escalated"] is True
    assert sent.json()["danger_signs"] == [RiskFlag.LOW_SPO2]
    isolating.refresh_from_db()
    assert isolating.has_danger_signs

    key_a = key_for(sysadmin, Role.COMMUNE_OFFICER, commune_a)[1]
    read = client.get(f"/api/v1/cases/{isolating.pk}/daily-reports", HTTP_AUTHORIZATION=key_a)
    assert read.status_code == 200
    body = read.json()
    assert body["takes_reports"] is True
    latest, first = body["items"]
    assert latest["spo2"] == 96 and latest["temperature"] == 37.8 and latest["escalated"]
    assert first["feeling_fine"] is True and first["danger_signs"] == []

    key_b = key_for(sysadmin, Role.COMMUNE_OFFICER, commune_b)[1]
    outside = client.get(f"/api/v1/cases/{isolating.pk}/daily-reports", HTTP_AUTHORIZATION=key_b)
    assert outside.status_code == 404


def test_fine_with_symptoms_or_an_empty_report_is_refused_in_both_languages(client, isolating):
    token = token_for(link_for(isolating))
    mixed = report(client, token, feeling_fine=True, symptoms=["cough"])
    assert mixed.status_code == 400
    assert mixed.json()["code"] == "mixed"
    empty = report(client, token)
    assert empty.status_code == 400
    assert empty.json()["code"] == "empty"
    assert empty.json()["message"]["vi"].startswith("Vui lòng chọn triệu chứng")
    out_of_range = report(client, token, spo2=30)
    assert out_of_range.status_code == 400 and out_of_range.json()["field"] == "spo2"
    assert not DailyReport.objects.exists()


def test_an_altered_token_or_an_ended_isolation_gets_404(client, commune_a, isolating):
    token = token_for(link_for(isolating))
    altered = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert report(client, altered, feeling_fine=True).status_code == 404
    submitted = make_case(commune_a)
    assert report(client, token_for(link_for(submitted)), feeling_fine=True).status_code == 404
    assert not DailyReport.objects.exists()
