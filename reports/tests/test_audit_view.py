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

    def table(params=None):
        return client.get(reverse("reports:audit"), params).content.decode().split("<tbody>")[1]

    page = table()
    assert "case.viewed" in page and "account.created" in page
    filtered = table({"hanh_dong": "case."})
    assert "case.viewed" in filtered and "account.created" not in filtered
    by_user = table({"tai_khoan": "nobody"})
    assert "case.viewed" not in by_user
    # Reading the trail is itself recorded.
    assert AuditEntry.objects.filter(action="audit.viewed").count() == 3


@pytest.mark.django_db
def test_pages_continue_after_the_last_entry_seen(client, login, sysadmin, officer_a):
    for n in range(60):
        audit_log(action=f"test.entry{n:02d}", actor=officer_a)
    login(sysadmin)
    who = {"tai_khoan": officer_a.username}
    first = client.get(reverse("reports:audit"), who).content.decode()
    assert "test.entry59" in first and "test.entry09" not in first
    cursor = first.split("sau=")[1].split('"')[0].replace("&amp;", "&").split("&")[0]
    second = client.get(reverse("reports:audit"), {**who, "sau": cursor}).content.decode()
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
    assert len(rows) == 2 and rows[1][3] == "Xem hồ sơ" and rows[1][-1] == "case.viewed"


@pytest.mark.django_db
def test_actions_read_in_vietnamese_with_a_drop_down_filter_and_local_times(
    client, login, province_health, officer_a, commune_a
):
    """Issue 14 item 12: codes such as `case.accept` were the only words; an entry about an
    export made at 18:20 in Vietnam named it "11:20" (its text was written in UTC)."""
    from datetime import UTC, datetime

    from cases.testing import make_case

    case = make_case(commune_a)
    audit_log(action="case.accept", actor=officer_a, unit=commune_a, obj=case)
    audit_log(action="case.viewed", actor=officer_a, unit=commune_a, obj=case)
    export = ExportJob.objects.create(
        kind=ExportJob.Kind.AUDIT, created_by=province_health, unit=province_health.unit
    )
    ExportJob.objects.filter(pk=export.pk).update(
        created_at=datetime(2026, 11, 29, 11, 20, tzinfo=UTC)
    )
    export.refresh_from_db()
    audit_log(action="report.export_requested", actor=province_health, obj=export)
    AuditEntry.objects.filter(action="report.export_requested").update(
        at=datetime(2026, 11, 29, 11, 20, 5, tzinfo=UTC)
    )
    login(province_health)
    page = client.get(reverse("reports:audit")).content.decode()
    assert "Tiếp nhận hồ sơ" in page and "Yêu cầu xuất Excel" in page
    # The time of the entry and the time in its object's name are both Vietnam's.
    assert "18:20:05 29/11/2026" in page
    assert "2026-11-29 18:20" in page and "11:20" not in page
    # The filter is a drop-down of these words; one action is exactly that action.
    assert '<select name="hanh_dong"' in page
    assert '<option value="case.accept">Tiếp nhận hồ sơ</option>' in page
    only = client.get(reverse("reports:audit"), {"hanh_dong": "case.accept"}).content.decode()
    assert "Tiếp nhận hồ sơ" in only.split("<tbody>")[1]
    assert "Xem hồ sơ" not in only.split("<tbody>")[1]
