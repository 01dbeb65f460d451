"""The bulk job runner's background task (Django's tasks API; `manage.py db_worker` runs it)."""

from django_tasks import task

from jobs import runner


@task()
def bulk_job_run(job_id: int) -> None:
    """Run one confirmed BulkJob: an import, a bulk decision, a batch of documents. The
    runner claims the job first, so a task run twice (a retry, a job queued again by
    jobs.recovery) leaves a job another runner holds alone."""
    runner.job_run(job_id=job_id)
