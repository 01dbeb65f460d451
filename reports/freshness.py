"""How fresh the pages' figures are: before showing them a page folds in a few new case
events itself and leaves a larger backlog to the background task (reports.tasks)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from cases.models import CaseEvent
from core.replica import replica_in_use
from reports.models import SummaryState
from reports.summaries import summaries_refresh
from reports.tasks import summaries_refresh_task

logger = logging.getLogger(__name__)

# A page may fold in this many new events itself before showing figures; more than that
# goes to the background task, and the page says how fresh its figures are.
INLINE_REFRESH_EVENTS = 2_000
TASK_DEBOUNCE = timedelta(seconds=30)


def summaries_catch_up() -> SummaryState:
    """The summary state after a small, bounded catch-up; a large backlog is queued instead
    (and any backlog when the pages read a replica).

    Costs one indexed query when nothing is new, so every dashboard request may call it.
    """
    state, _created = SummaryState.objects.get_or_create(pk=1)
    pending = CaseEvent.objects.filter(pk__gt=state.watermark).order_by("pk").values_list("pk")
    limit = int(getattr(settings, "REPORTS_INLINE_REFRESH_EVENTS", INLINE_REFRESH_EVENTS))
    if not pending[:1]:
        # Nothing new since the last refresh: the figures are as fresh as this moment.
        state.fresh_as_of = timezone.now()
        return state
    try:
        # A page reading a replica leaves the writing to the worker and to maintenance.
        if not replica_in_use() and not pending[limit : limit + 1]:
            summaries_refresh(max_events=limit, wait=False)
        else:
            now = timezone.now()
            updated = (
                SummaryState.objects.filter(pk=1)
                .exclude(task_enqueued_at__gt=now - TASK_DEBOUNCE)
                .update(task_enqueued_at=now)
            )
            if updated:
                summaries_refresh_task.enqueue()
    except OperationalError:
        # The database is busy with a long write (SQLite has one writer at a time): show
        # the figures as they are, with their time, rather than an error.
        logger.warning("summary refresh skipped: database busy", exc_info=True)
    return SummaryState.objects.get(pk=1)
