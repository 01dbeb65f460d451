from django.contrib.auth.middleware import LoginRequiredMiddleware

from core.repost import pending_keep


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
