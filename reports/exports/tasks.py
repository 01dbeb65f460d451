"""Background task of the exports (Django's tasks API; `manage.py db_worker` runs it):
building the file of an export too large to build within the request."""

from django_tasks import task

from reports.exports.build import export_job_run


@task()
def export_build_task(job_id: str) -> None:
    export_job_run(job_id=job_id)
