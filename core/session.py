"""The staff session slides with activity: it ends SESSION_COOKIE_AGE seconds after the
last request, not after signing in; pages warn before it ends (static/js/session.js)."""

import time

from django.conf import settings

TOUCHED = "touched_at"
# A session is written again at most this often (seconds): one write a minute, not one per
# request, moves the end by as much as anyone can notice.
TOUCH_EVERY = 60
# The warning shows this many seconds before the end.
WARN_BEFORE = 300


def session_touch(request, *, force: bool = False) -> None:
    """Move the end of a signed-in user's session to SESSION_COOKIE_AGE from now (the
    database session store sets its expiry whenever the session is saved)."""
    now = int(time.time())
    if force or now - request.session.get(TOUCHED, 0) >= TOUCH_EVERY:
        request.session[TOUCHED] = now


def session_ends_in(request) -> int:
    """Seconds until the session ends without further activity (0 when it has)."""
    touched = request.session.get(TOUCHED) or int(time.time())
    return max(0, touched + settings.SESSION_COOKIE_AGE - int(time.time()))
