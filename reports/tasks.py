"""Background task of the summaries (Django's tasks API; `manage.py db_worker` runs it):
a refresh queued when a page finds more new events than it folds in itself.

The exports have their own task, in reports.exports.tasks; it is imported here too because
the database backend stores a queued task by its import path, and exports queued before
it moved were queued as reports.tasks.export_build_task.
"""

from django_tasks import task

from reports.exports.tasks import export_build_task
from reports.summaries import summaries_refresh

__all__ = ["export_build_task", "summaries_refresh_task"]


@task()
def summaries_refresh_task() -> int:
    return summaries_refresh().processed
