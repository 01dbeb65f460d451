import pytest
from django.urls import reverse

from audit.models import AuditEntry
from audit.services import audit_log
from reports.models import ExportJob


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer_a", "leader_a", "district_staff"])
def test_the_audit_trail_is_closed_to_other_officials(request, client, login, persona):
    login(request.getfixturevalue(persona))
    assert client.get(reverse("reports:audit")).status_code == 403
    assert client.post(reverse("reports:audit_export")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["sysadmin", "province_health"])
def test_administrators_and_province_health_read_and_filter_it(
    request, client, login, persona, officer_a, commune_a
):
    audit_log(action="case.viewed", actor=officer_a, unit=commune_a, detail={"case": 1})
    audit_log(action="account.created", actor=officer_a, unit=commune_a)
    login(request.getfixturevalue(persona))
    page = client.get(reverse("reports:audit")).content.decode()
    assert "case.viewed" in page and "account.created" in page
    filtered = client.get(reverse("reports:audit"), {"hanh_dong": "case."}).content.decode()
    assert "case.viewed" in filtered and "account.created" not in filtered
    by_user = client.get(reverse("reports:audit"), {"tai_khoan": "nobody"}).content.decode()
    assert "case.viewed" not in by_user
    # Reading the trail is itself recorded.
    assert AuditEntry.objects.filter(action="audit.viewed").count() == 3


@pytest.mark.django_db
def test_pages_continue_after_the_last_entry_seen(client, login, sysadmin, officer_a):
    for n in range(60):
        audit_log(action=f"test.entry{n:02d}", actor=officer_a)
    login(sysadmin)
    first = client.get(reverse("reports:audit"), {"hanh_dong": "test."}).content.decode()
    assert "test.entry59" in first and "test.entry09" not in first
    cursor = first.split("sau=")[1].split('"')[0]
    second = client.get(
        reverse("reports:audit"), {"hanh_dong": "test.", "sau": cursor}
    ).content.decode()
    assert "test.entry09" in second and "test.entry59" not in second


@pytest.mark.django_db
def test_the_audit_export_is_audited_and_reads_back(client, login, province_health, officer_a):
    import io

    import openpyxl

    audit_log(action="case.viewed", actor=officer_a, detail={"tên": "=cmd|' /C calc'!A0"})
    login(province_health)
    response = client.post(reverse("reports:audit_export"), {"hanh_dong": "case."})
    job = ExportJob.objects.get(kind=ExportJob.Kind.AUDIT)
    assert response.status_code == 302
    assert AuditEntry.objects.filter(
        action="report.export_requested", object_id=str(job.pk)
    ).exists()
    content = b"".join(
        client.get(reverse("reports:export_download", args=[job.pk])).streaming_content
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][3] == "case.viewed"
