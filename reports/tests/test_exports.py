import io
from datetime import date, datetime

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import Case
from cases.testing import make_case
from reports.exports.build import export_job_run
from reports.exports.jobs import export_job_create
from reports.models import ExportJob


def start(client, slug, prefix, **data):
    payload = {f"{prefix}-{k}": v for k, v in data.items()}
    return client.post(reverse("reports:export_start", args=[slug]), payload)


def download(client, job) -> openpyxl.Workbook:
    response = client.get(reverse("reports:export_download", args=[job.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(content))


@pytest.mark.django_db
def test_case_list_export_reads_back_with_every_row_text_as_text_and_real_dates(
    client, login, scenario, district_staff, commune_a
):
    tricky = scenario["a_waiting"][0]
    Case.objects.filter(pk=tricky.pk).update(
        full_name='=HYPERLINK("http://x","bấm")',
        village="+84 912 345 678",
        id_number="079190987654",
        phone="0912345678",
    )
    Case.objects.filter(pk=scenario["a_waiting"][1].pk).update(village="@SUM(A1)")
    login(district_staff)
    response = start(
        client, "danh-sach-ho-so", "ds", don_vi=commune_a.district_id, trang_thai="all"
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"{job.pk}/")
    assert job.state == ExportJob.State.DONE
    expected = Case.objects.filter(district=commune_a.district).count()
    assert job.rows_total == expected
    sheet = download(client, job).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Mã hồ sơ", "Họ và tên", "Ngày sinh")
    assert len(rows) - 1 == expected
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value is not None}
    formula = cells['=HYPERLINK("http://x","bấm")']
    assert formula.data_type == "s"
    assert cells["+84 912 345 678"].data_type == "s"
    assert cells["@SUM(A1)"].data_type == "s"
    by_code = {row[0]: row for row in rows[1:]}
    row = by_code[tricky.tracking_code]
    assert isinstance(row[2], datetime) and row[2].date() == date(1990, 5, 5)
    submitted = timezone.localtime(tricky.submitted_at).replace(tzinfo=None)
    assert abs((row[10] - submitted).total_seconds()) < 1
    # ID number and phone are masked as everywhere else: first 4 and last 2, first 3 and last 3.
    assert row[4:6] == ("0791******54", "091****678")
    assert "079190987654" not in cells and "0912345678" not in cells


@pytest.mark.django_db
def test_past_the_row_limit_rows_continue_on_new_sheets(scenario, district_staff, commune_a):
    job = ExportJob.objects.create(
        created_by=district_staff,
        unit=commune_a.district,
        kind=ExportJob.Kind.CASE_LIST,
        params={"status": "all"},
    )
    job = export_job_run(job_id=str(job.pk), rows_per_sheet=4)
    book = openpyxl.load_workbook(io.BytesIO(open_file(job)))
    total = Case.objects.filter(district=commune_a.district).count()
    assert job.sheets == len(book.worksheets) == -(-total // 4)
    data_rows = sum(sheet.max_row - 1 for sheet in book.worksheets)
    assert data_rows == total == job.rows_total
    assert all(sheet["A1"].value == "Mã hồ sơ" for sheet in book.worksheets)


def open_file(job) -> bytes:
    from django.core.files.storage import default_storage

    with default_storage.open(job.file_name, "rb") as f:
        return f.read()


@pytest.mark.django_db
def test_daily_summary_has_a_row_per_commune_and_a_total(client, login, scenario, province_health):
    from reports.summaries import summaries_refresh

    summaries_refresh()
    login(province_health)
    start(
        client,
        "bao-cao-ngay",
        "bc",
        don_vi=province_health.unit_id,
        ngay=timezone.localdate().isoformat(),
    )
    job = ExportJob.objects.get()
    rows = list(download(client, job).active.iter_rows(values_only=True))
    header, *body = rows
    total_row = body[-1]
    assert total_row[0] == "Cộng"
    assert len(body) - 1 == 138
    new_col = header.index("Khai báo mới")
    isolating_col = header.index("Đang cách ly cuối ngày")
    assert total_row[new_col] == sum(r[new_col] for r in body[:-1]) == 16
    assert (
        total_row[isolating_col]
        == Case.objects.filter(status__in=["accepted", "recovery_requested"]).count()
    )
    trang_da = next(r for r in body if r[1] == "Xã Tràng Đà")
    assert trang_da[new_col] == 14


@pytest.mark.django_db
def test_service_level_export(client, login, scenario, district_staff):
    login(district_staff)
    today = timezone.localdate().isoformat()
    start(
        client,
        "thoi-gian-xu-ly",
        "tg",
        don_vi=district_staff.unit_id,
        tu_ngay=today,
        den_ngay=today,
    )
    rows = list(download(client, ExportJob.objects.get()).active.iter_rows(values_only=True))
    assert len(rows) - 1 == 15  # communes of Thành phố Tuyên Quang
    trang_da = next(r for r in rows if r[0] == "Xã Tràng Đà")
    assert trang_da[3] == 9  # accepted or rejected today in Tràng Đà


@pytest.mark.django_db
def test_every_export_and_download_is_audited(client, login, scenario, district_staff):
    login(district_staff)
    start(client, "danh-sach-ho-so", "ds", don_vi=district_staff.unit_id, trang_thai="open")
    job = ExportJob.objects.get()
    requested = AuditEntry.objects.get(action="report.export_requested")
    assert requested.actor == district_staff and requested.object_id == str(job.pk)
    assert requested.detail["kind"] == "case_list" and requested.detail["rows"] == job.rows_total
    download(client, job)
    assert AuditEntry.objects.filter(
        action="report.export_downloaded", object_id=str(job.pk)
    ).exists()


@pytest.mark.django_db
def test_a_commune_user_cannot_export_another_unit(client, login, scenario, officer_a, commune_a2):
    login(officer_a)
    for unit_id in (commune_a2.pk, commune_a2.district_id):
        response = start(client, "danh-sach-ho-so", "ds", don_vi=unit_id, trang_thai="all")
        assert response.status_code == 404
    assert not ExportJob.objects.exists()
    assert not AuditEntry.objects.filter(action="report.export_requested").exists()


@pytest.mark.django_db
def test_only_the_creator_may_see_or_download_a_file(
    client, login, scenario, district_staff, province_health
):
    job = export_job_create(
        user=district_staff, kind=ExportJob.Kind.CASE_LIST, unit=district_staff.unit, params={}
    )
    login(province_health)
    assert client.get(reverse("reports:export_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:export_download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_a_large_export_is_built_in_the_background_with_progress(
    client, login, commune_a, district_staff, settings
):
    settings.REPORTS_INLINE_EXPORT_ROWS = 2
    for _ in range(3):
        make_case(commune_a)
    login(district_staff)
    start(client, "danh-sach-ho-so", "ds", don_vi=district_staff.unit_id, trang_thai="all")
    job = ExportJob.objects.get()
    # Test settings run tasks immediately; in production db_worker builds it.
    assert job.state == ExportJob.State.DONE and job.rows_total == 3
    page = client.get(reverse("reports:export_job", args=[job.pk])).content.decode()
    assert "Tải tệp Excel" in page and "hx-trigger" not in page
    job.state = ExportJob.State.RUNNING
    job.rows_done = 1
    job.save()
    partial = client.get(reverse("reports:export_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert (
        "<progress" in partial.content.decode()
        and 'hx-trigger="every 2s"' in partial.content.decode()
    )


@pytest.mark.django_db
def test_old_export_files_are_deleted_but_the_record_stays(scenario, district_staff):
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.core.management import call_command

    job = export_job_create(
        user=district_staff, kind=ExportJob.Kind.CASE_LIST, unit=district_staff.unit, params={}
    )
    name = job.file_name
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=25))
    call_command("purge_exports", verbosity=0)
    job.refresh_from_db()
    assert job.file_name == "" and not default_storage.exists(name)


@pytest.mark.django_db
def test_exports_are_built_into_and_downloaded_from_object_storage(
    s3_bucket, client, login, scenario, district_staff
):
    from config.testing import S3_TEST_BUCKET

    login(district_staff)
    start(client, "danh-sach-ho-so", "ds", don_vi=district_staff.unit_id, trang_thai="all")
    job = ExportJob.objects.get()
    stored = s3_bucket.list_objects_v2(Bucket=S3_TEST_BUCKET)["Contents"]
    assert [item["Key"] for item in stored] == [f"tuyenquang/{job.file_name}"]
    assert stored[0]["Size"] == job.file_size
    sheet = download(client, job).active
    assert sheet.max_row - 1 == job.rows_total > 0
