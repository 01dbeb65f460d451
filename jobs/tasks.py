"""The bulk job runner's background task (Django's tasks API; `manage.py db_worker` runs it)."""

from django_tasks import task

from jobs import runner


@task()
def bulk_job_run(job_id: int) -> None:
    """Run one confirmed BulkJob: an import, a bulk decision, a batch of documents."""
    runner.job_run(job_id=job_id)
