from django_tasks_db.models import DBTaskResult

from jobs.tasks import bulk_job_run


def test_bulk_job_queued_under_the_old_path_still_resolves():
    queued = DBTaskResult(
        task_path="backoffice.tasks.bulk_job_run",
        backend_name="default",
        queue_name="default",
        priority=0,
    )
    assert queued.task.func is bulk_job_run.func
    assert bulk_job_run.module_path == "jobs.tasks.bulk_job_run"
