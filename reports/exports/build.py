"""Building an export's file: the work of one export job, done inline for a small export
and by the background task (reports.exports.tasks) for a large one."""

import logging
import os
import tempfile

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from core.leases import holder_id, lease_end
from reports.exports.exporters import EXPORTERS, Exporter
from reports.exports.xlsx import EXCEL_MAX_ROWS, SheetWriter
from reports.models import ExportJob
from reports.summaries import summaries_refresh

logger = logging.getLogger(__name__)

SUMMARY_CATCH_UP = 50_000
DEFAULT_LEASE_SECONDS = 300


def exporter_for(job: ExportJob) -> Exporter:
    return EXPORTERS[job.kind](unit=job.unit, params=job.params)


def lease_seconds() -> int:
    """How long a build may give no news before it is taken up again (EXPORT_LEASE_SECONDS)."""
    return int(getattr(settings, "EXPORT_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))


def export_job_run(*, job_id: str, rows_per_sheet: int | None = None) -> ExportJob:
    """Build the file of a queued job; a job already started is left alone.

    The build claims the job with a lease (core.leases), renewed with every block of rows:
    a process killed while building leaves the job "running" with a lease nobody renews,
    and reports.exports.jobs.exports_resume queues it again."""
    holder = holder_id()
    claimed = ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(
        state=ExportJob.State.RUNNING,
        started_at=timezone.now(),
        lease_holder=holder,
        lease_expires_at=lease_end(lease_seconds()),
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
            ExportJob.objects.filter(pk=job.pk, lease_holder=holder).update(
                rows_done=done, lease_expires_at=lease_end(lease_seconds())
            )

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
        job.lease_holder, job.lease_expires_at = "", None
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
    job.lease_holder, job.lease_expires_at = "", None
    job.save(update_fields=["state", "error", "finished_at", "lease_holder", "lease_expires_at"])
    return job
