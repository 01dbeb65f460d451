"""Export jobs: asked for in a request (audited there), built inline when small and in the
background otherwise, stored in private storage, downloadable by their creator only."""

import logging
import os
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from reports.exports.exporters import EXPORTERS, Exporter
from reports.exports.xlsx import EXCEL_MAX_ROWS, SheetWriter
from reports.models import ExportJob
from reports.summaries import summaries_refresh
from units.models import Unit

logger = logging.getLogger(__name__)

INLINE_ROWS = 5_000
SUMMARY_CATCH_UP = 50_000
RETENTION_HOURS = 24


def exporter_for(job: ExportJob) -> Exporter:
    return EXPORTERS[job.kind](unit=job.unit, params=job.params)


def export_job_create(*, user, kind: str, unit: Unit, params: dict, request=None) -> ExportJob:
    """Record and audit an export of `unit` (which must lie in the user's unit), then build
    it now if small, or queue it for the background worker."""
    if user.unit is None or not user.unit.contains(unit):
        raise PermissionDenied
    with transaction.atomic():
        job = ExportJob.objects.create(created_by=user, unit=unit, kind=kind, params=params)
        exporter = exporter_for(job)
        job.rows_total = exporter.count()
        job.download_name = exporter.download_name()
        job.save(update_fields=["rows_total", "download_name"])
        audit_log(
            action="report.export_requested",
            request=request,
            actor=user,
            obj=job,
            unit=unit,
            detail={"kind": kind, "params": params, "rows": job.rows_total},
        )
    # The job row is committed by now (requests run in autocommit), so a worker finds it.
    if job.rows_total <= int(getattr(settings, "REPORTS_INLINE_EXPORT_ROWS", INLINE_ROWS)):
        return export_job_run(job_id=str(job.pk))
    from reports.tasks import export_build_task

    export_build_task.enqueue(str(job.pk))
    job.refresh_from_db()
    return job


def export_job_run(*, job_id: str, rows_per_sheet: int | None = None) -> ExportJob:
    """Build the file of a queued job; a job already started is left alone."""
    claimed = ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(
        state=ExportJob.State.RUNNING, started_at=timezone.now()
    )
    job = ExportJob.objects.select_related("unit", "created_by__unit").get(pk=job_id)
    if not claimed:
        return job
    user = job.created_by
    if not user.is_active or user.unit is None or not user.unit.contains(job.unit):
        return _fail(job, _("Tài khoản không còn quyền xem số liệu của đơn vị này."))
    exporter = exporter_for(job)
    if exporter.uses_summaries:
        summaries_refresh(max_events=SUMMARY_CATCH_UP, wait=False)
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        writer = SheetWriter(
            path,
            title=exporter.title,
            columns=exporter.columns,
            rows_per_sheet=rows_per_sheet or EXCEL_MAX_ROWS - 1,
        )

        def progress(done: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=done)

        rows = writer.write_rows(exporter.rows(), progress=progress)
        writer.close()
        with open(path, "rb") as built:
            name = default_storage.save(f"exports/{job.pk}.xlsx", File(built))
        job.file_name = name
        job.file_size = default_storage.size(name)
        job.rows_done = job.rows_total = rows
        job.sheets = writer.sheets
        job.state = ExportJob.State.DONE
        job.finished_at = timezone.now()
        job.save()
    except Exception:
        logger.exception("export %s failed", job.pk)
        return _fail(job, _("Không tạo được tệp. Vui lòng thử lại; nếu vẫn lỗi, báo quản trị."))
    finally:
        if os.path.exists(path):
            os.remove(path)
    return job


def _fail(job: ExportJob, message: str) -> ExportJob:
    job.state = ExportJob.State.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "error", "finished_at"])
    return job


def exports_purge(*, now=None) -> int:
    """Delete the files of exports older than EXPORT_RETENTION_HOURS (the job rows stay)."""
    now = now or timezone.now()
    hours = int(getattr(settings, "EXPORT_RETENTION_HOURS", RETENTION_HOURS))
    purged = 0
    for job in ExportJob.objects.filter(
        created_at__lt=now - timedelta(hours=hours), state=ExportJob.State.DONE
    ).exclude(file_name=""):
        default_storage.delete(job.file_name)
        ExportJob.objects.filter(pk=job.pk).update(file_name="", file_size=0)
        purged += 1
    return purged
