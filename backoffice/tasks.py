"""Background tasks of the back office (Django's tasks API; `manage.py db_worker` runs them)."""

from django_tasks import task

from backoffice import jobs


@task()
def bulk_job_run(job_id: int) -> None:
    """Run one confirmed BulkJob: an import, a bulk decision, a batch of documents."""
    jobs.job_run(job_id=job_id)
