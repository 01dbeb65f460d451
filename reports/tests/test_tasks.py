from django_tasks_db.models import DBTaskResult

from reports.exports.tasks import export_build_task
from reports.tasks import summaries_refresh_task


def _queued(path: str) -> DBTaskResult:
    return DBTaskResult(task_path=path, backend_name="default", queue_name="default", priority=0)


def test_an_export_queued_under_the_old_path_still_resolves():
    assert _queued("reports.tasks.export_build_task").task.func is export_build_task.func
    assert export_build_task.module_path == "reports.exports.tasks.export_build_task"


def test_the_summaries_task_keeps_its_path():
    assert summaries_refresh_task.module_path == "reports.tasks.summaries_refresh_task"
    assert _queued("reports.tasks.summaries_refresh_task").task.func is summaries_refresh_task.func
