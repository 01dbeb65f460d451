"""Export jobs: asked for in a request (audited there), built inline when small and in the
background otherwise, stored in private storage, downloadable by their creator only."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from core.leases import holder_is_dead
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


# A build whose process died this many times is not queued again but failed: something in
# it kills the worker (memory), and the user is told to ask for a smaller export.
MAX_RESUMES = 3


def exports_resume(*, now=None) -> int:
    """Maintenance job (also at worker start): queue again each export whose builder died
    (running with a lease that ended, or held by a dead process on this host; the same
    claims as the bulk jobs', core.leases), or stop it as failed after MAX_RESUMES.
    A compare-and-set on the lease: a builder that renewed it meanwhile keeps the job.
    Returns how many were queued again."""
    now = now or timezone.now()
    resumed = 0
    for job in ExportJob.objects.filter(state=ExportJob.State.RUNNING).only(
        "pk", "lease_holder", "lease_expires_at", "resumed_count"
    ):
        live = job.lease_expires_at is not None and job.lease_expires_at > now
        if live and not holder_is_dead(job.lease_holder):
            continue
        unchanged = ExportJob.objects.filter(
            pk=job.pk,
            state=ExportJob.State.RUNNING,
            lease_holder=job.lease_holder,
            lease_expires_at=job.lease_expires_at,
        )
        if job.resumed_count >= MAX_RESUMES:
            unchanged.update(
                state=ExportJob.State.FAILED,
                lease_holder="",
                lease_expires_at=None,
                finished_at=now,
                error=_(
                    "Máy xử lý dừng đột ngột nhiều lần khi tạo tệp này. Vui lòng chọn khoảng "
                    "thời gian ngắn hơn hoặc đơn vị nhỏ hơn rồi thử lại."
                ),
            )
            continue
        if unchanged.update(
            state=ExportJob.State.QUEUED,
            lease_holder="",
            lease_expires_at=None,
            rows_done=0,
            resumed_count=F("resumed_count") + 1,
        ):
            export_build_task.enqueue(str(job.pk))
            resumed += 1
    return resumed
