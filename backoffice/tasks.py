"""Old home of the bulk job task, kept so that tasks queued before the move still resolve.

The database backend stores a queued task by its import path: rows queued as
backoffice.tasks.bulk_job_run find here the task that now lives in jobs.tasks. New tasks
are queued under jobs.tasks; this module can go once no old row is left in the queue.
"""

from jobs.tasks import bulk_job_run

__all__ = ["bulk_job_run"]
