"""Staged uploads: a browser may reuse only the uploads whose tokens its session holds."""

from django.contrib.sessions.backends.base import SessionBase

from uploads.models import Upload

SESSION_KEY = "staged_uploads"
# Enough for a few attempts at a form with three photos; keeps the session small.
SESSION_LIMIT = 20


def upload_stage(*, session: SessionBase, upload: Upload) -> None:
    """Remember in the session that this browser uploaded `upload` and may use it again."""
    tokens = [t for t in session.get(SESSION_KEY, []) if t != upload.token]
    tokens.append(upload.token)
    session[SESSION_KEY] = tokens[-SESSION_LIMIT:]


def staged_upload_get(
    *, session: SessionBase, token: str, kind: str | None = None
) -> Upload | None:
    """The session's own not-yet-attached upload with this token, or None."""
    if not token or token not in session.get(SESSION_KEY, []):
        return None
    uploads = Upload.objects.filter(token=token, attached_at__isnull=True)
    if kind is not None:
        uploads = uploads.filter(kind=kind)
    return uploads.first()
