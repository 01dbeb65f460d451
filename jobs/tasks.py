"""The bulk job runner's background task (Django's tasks API; `manage.py db_worker` runs it)."""

from django_tasks import task

from jobs import runner
from jobs.models import BulkJob


@task()
def bulk_job_run(job_id: int) -> None:
    """Run one confirmed BulkJob: an import, a bulk decision, a batch of documents. The
    runner claims the job first, so a task run twice (a retry, a job queued again by
    jobs.recovery) leaves a job another runner holds alone."""
    runner.job_run(job_id=job_id)


def bulk_job_enqueue(job_id: int) -> None:
    """Queue the job for the worker and keep the task's id on it. Call it once the job row
    is committed (transaction.on_commit), so that a worker always finds the job."""
    result = bulk_job_run.enqueue(job_id)
    BulkJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])
