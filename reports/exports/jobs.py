"""Export jobs: asked for in a request (audited there), built inline when small and in the
background otherwise, stored in private storage, downloadable by their creator only."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from audit.services import audit_log
from reports.exports.build import export_job_run, exporter_for
from reports.exports.tasks import export_build_task
from reports.models import ExportJob
from units.models import Unit

INLINE_ROWS = 5_000
RETENTION_HOURS = 24


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
    export_build_task.enqueue(str(job.pk))
    job.refresh_from_db()
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
