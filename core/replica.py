"""Reading the monitoring pages from a PostgreSQL read replica (DATABASE_REPLICA_URL).

Only reads made inside `replica_reads()` (the views marked `@reads_from_replica`) go to the
replica; every write, and every read outside those views, goes to the primary. Code that
writes what it has just read (the summary refresh) runs under `primary_reads()`, so that a
lagging replica can never be folded into the primary's figures.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"

_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


def replica_in_use() -> bool:
    """True when a replica is configured and the monitoring pages are to read from it."""
    return REPLICA in settings.DATABASES and getattr(settings, "REPORTS_READ_REPLICA", False)


@contextmanager
def _reads_replica(flag: bool) -> Iterator[None]:
    token = _reading_replica.set(flag)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def replica_reads():
    """Reads inside the block go to the replica (when one is in use)."""
    return _reads_replica(True)


def primary_reads():
    """Reads inside the block go to the primary, even inside `replica_reads()`."""
    return _reads_replica(False)


def reads_from_replica(view: Callable) -> Callable:
    """The view's queries read from the replica, when one is in use.

    The signed-in user and the session are read first, from the primary: a replica a moment
    behind must not sign out someone who has just signed in.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not replica_in_use():
            return view(request, *args, **kwargs)
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018 - loads the session and the user now
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Reads inside `replica_reads()` go to the replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        if _reading_replica.get() and replica_in_use():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # The same rows on both sides: an object read from the replica may point at one
        # read from the primary (and be saved there).
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, **hints):
        # The replica follows the primary's schema by replication, never by migrate.
        return False if db == REPLICA else None
