"""Claims with a lease: how a background worker holds a row while it works on it, and how
the next worker or maintenance run tells that the holder is gone.

A claim is a compare-and-set UPDATE that writes the holder's name and the lease's end on
the row; the holder renews the lease while it works. A row whose lease has expired, or
whose holder is known to be dead, may be taken up again. Used by the bulk job runner
(jobs.runner, jobs.recovery) and by the delivery of notifications (notifications.tasks).
"""

import os
import socket
import uuid
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone


def holder_id() -> str:
    """A name for one worker's claim, "host:pid:nonce": holder_is_dead() reads the host and
    pid back to tell a worker on its own host that has died; the nonce tells two claims of
    the same process apart."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def holder_is_dead(holder: str) -> bool:
    """Whether the worker `holder` (a holder_id()) is known to be gone: it ran on this host
    in a process that no longer exists. A worker on another host, or one whose name cannot
    be read, is not known to be gone: its lease must expire first."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname()[:60] or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, under another user
        return False
    return False


def lease_end(seconds: int, now: datetime | None = None) -> datetime:
    """When a lease taken or renewed at `now` (default: this instant) for `seconds` ends."""
    return (now or timezone.now()) + timedelta(seconds=seconds)


def expired_q(now: datetime, field: str = "lease_expires_at") -> Q:
    """Rows whose lease (DateTimeField `field`) has ended, or that have none, as a filter."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lte": now})
