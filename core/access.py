"""Every view declares who may reach it; a test fails for any URL whose view does not.

`public` opens a view to everyone, `roles_required(...)` to signed-in officials holding one
of the roles. Object-level checks (is this case inside the user's unit?) happen in the
selectors, which answer 404 for anything outside the user's scope.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.repost import pending_take, repost_page

ACCESS_ATTR = "access_rule"


def public(view: Callable) -> Callable:
    """Anyone, signed in or not, may use this view."""
    view = login_not_required(view)
    setattr(view, ACCESS_ATTR, "public")
    return view


def api_view(view: Callable) -> Callable:
    """A view of the REST API (api app): it answers its callers itself, an API key or an
    official's session, with a JSON 401 for anyone else (never a redirect to sign in);
    its public operations are rate limited like the public pages."""
    view = login_not_required(view)
    setattr(view, ACCESS_ATTR, "api")
    return view


def _pending_form(request):
    """The repost page of a form sent when the session had ended, now that the user has
    signed in again and is back on its page (see core.middleware.KeepFormLoginRequired)."""
    if request.method != "GET" or (pending := pending_take(request)) is None:
        return None
    return repost_page(
        request,
        fields=pending["fields"],
        action=pending["path"],
        reason=_(
            "Phiên làm việc đã kết thúc trước khi bạn gửi biểu mẫu này. Bạn đã đăng nhập lại; "
            "hãy kiểm tra và gửi lại."
        ),
        had_files=pending["had_files"],
        status=200,
    )


def signed_in(view: Callable) -> Callable:
    """Any active signed-in account (own profile, password change, sign-out)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if pending := _pending_form(request):
            return pending
        return view(request, *args, **kwargs)

    setattr(wrapped, ACCESS_ATTR, "signed_in")
    return wrapped


def second_factor_missing(user) -> bool:
    """Whether `user`'s role must sign in with a second factor (settings.TWO_FACTOR_ROLES)
    and this session has not given one yet (django-otp's `is_verified`)."""
    if user.role not in settings.TWO_FACTOR_ROLES:
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified and is_verified())


def roles_required(*roles: str) -> Callable[[Callable], Callable]:
    """Signed-in officials with one of `roles`, bound to a unit, password not expired, and
    the second factor given where their role needs one."""
    allowed = frozenset(roles)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.must_change_password:
                return redirect("accounts:password_change")
            if second_factor_missing(user):
                target = reverse("accounts:two_factor")
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
            if user.role not in allowed or user.unit_id is None:
                raise PermissionDenied
            if pending := _pending_form(request):
                return pending
            return view(request, *args, **kwargs)

        setattr(wrapped, ACCESS_ATTR, ("roles", tuple(sorted(allowed))))
        return wrapped

    return decorator


def access_rule_of(view: Callable) -> object | None:
    """The declared rule of a view function (or a class-based view's as_view() result)."""
    rule = getattr(view, ACCESS_ATTR, None)
    if rule is None and hasattr(view, "view_class"):
        rule = getattr(view.view_class, ACCESS_ATTR, None)
    return rule


def roles_of(rule: object) -> Iterable[str]:
    return rule[1] if isinstance(rule, tuple) else ()
