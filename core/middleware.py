from django.contrib.auth.middleware import LoginRequiredMiddleware

from core.repost import pending_keep
from core.session import session_touch


class KeepFormLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, keeping a form sent after the session ended: the
    sign-in page leads back to it, where core.access offers it to send again."""

    def handle_no_permission(self, request, view_func):
        if request.method == "POST":
            pending_keep(request)
        return super().handle_no_permission(request, view_func)


class SecurityHeadersMiddleware:
    """Headers Django does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(
            "Permissions-Policy",
            "camera=(self), microphone=(), geolocation=(), payment=(), usb=()",
        )
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            # Pages of officials carry personal data: never keep them in shared caches.
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response


class SlidingSessionMiddleware:
    """Each request of a signed-in user moves the end of the session (core.session); the
    session status the warning asks for (core.views.session_status GET) does not."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not getattr(request, "no_slide", False):
            session_touch(request)
        return response
