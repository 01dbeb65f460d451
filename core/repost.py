"""A sent form shown back to its sender to send again, after a refusal that was not about
its content: a failed CSRF check (signed in again in another tab), or a session that ended
while the form was open. Nothing is saved; the page only holds what was sent.
"""

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

# Never written back into a page: a password is typed once; the CSRF token is replaced
# by the page's own (the one of the current session).
NOT_REPOSTED = ("password", "csrfmiddlewaretoken")
# A form kept across a sign-in (see `pending_keep`) waits at most this long.
PENDING = "pending_post"
PENDING_MAX_AGE = timedelta(hours=1)


def form_fields(post, *, keep_csrf: bool = False) -> list[tuple[str, str]]:
    """The (name, value) pairs of a QueryDict to write back as hidden inputs, in order."""
    skipped = tuple(n for n in NOT_REPOSTED if not (keep_csrf and n == "csrfmiddlewaretoken"))
    return [
        (name, value)
        for name, values in post.lists()
        if not any(word in name for word in skipped)
        for value in values
    ]


def repost_page(request, *, fields, action: str, reason: str, had_files: bool, status: int):
    """The page with the sent fields and a "Gửi lại" button (a fresh CSRF token)."""
    response = render(
        request,
        "core/repost.html",
        {"fields": fields, "action": action, "reason": reason, "had_files": had_files},
        status=status,
    )
    # What was typed is in the page: keep it out of every cache.
    response["Cache-Control"] = "no-store"
    return response


def pending_keep(request) -> None:
    """Keep a POST refused for want of a session, for the page after signing in again."""
    request.session[PENDING] = {
        "path": request.get_full_path(),
        "fields": form_fields(request.POST),
        "had_files": bool(request.FILES),
        "at": timezone.now().isoformat(),
    }


def pending_take(request) -> dict | None:
    """The form kept for this path by `pending_keep`, once; None when there is none."""
    pending = request.session.get(PENDING)
    if not pending or pending["path"] != request.get_full_path():
        return None
    del request.session[PENDING]
    at = timezone.datetime.fromisoformat(pending["at"])
    if timezone.now() - at > PENDING_MAX_AGE:
        return None
    return pending
