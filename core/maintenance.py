"""Periodic housekeeping, run by `manage.py maintenance` (cron or a systemd timer every few
minutes in production; `make run` runs it every minute). Apps register their jobs in
AppConfig.ready(); each job is independent and a failing one does not stop the others.

A job registered with `at_worker_start=True` also runs when the task worker starts
(`manage.py db_worker`, jobs' command): work left by a worker that died is taken up again
by its successor at once instead of at the next maintenance run."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], object]
    at_worker_start: bool = False


_JOBS: dict[str, Job] = {}


def register(name: str, run: Callable[[], object], *, at_worker_start: bool = False) -> None:
    _JOBS[name] = Job(name=name, run=run, at_worker_start=at_worker_start)


def jobs() -> list[Job]:
    return list(_JOBS.values())


def run_all(only: list[str] | None = None, *, worker_start: bool = False) -> dict[str, object]:
    """Run every registered job (or those named; or, with `worker_start`, those registered
    at_worker_start); return what each returned or raised."""
    results: dict[str, object] = {}
    for job in jobs():
        if only and job.name not in only:
            continue
        if worker_start and not job.at_worker_start:
            continue
        try:
            results[job.name] = job.run()
        except Exception as exc:  # noqa: BLE001 - one job's failure must not stop the rest
            logger.exception("maintenance job %s failed", job.name)
            results[job.name] = exc
    return results
