import sys

from django.db import connection
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_http_methods

from core.access import public, signed_in
from core.repost import form_fields, repost_page
from core.session import session_ends_in, session_touch


@public
def home(request):
    return render(request, "core/home.html")


@public
def healthz(request):
    """200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


# Seconds a client is asked to wait when the database does not answer: a restart or a
# fail-over of PostgreSQL takes about this long.
DATABASE_RETRY_AFTER = 30


def server_error(request):
    """handler500: a 503 page when the database is unreachable, Django's 500 page otherwise.

    Django calls it while handling the exception, so sys.exc_info() names it.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return database_unavailable(request)
    return defaults.server_error(request)


def database_unavailable(request) -> HttpResponse:
    """503 with Retry-After, rendered without touching the database (no session, user or
    context processors). A sent form comes back in hidden inputs, so that "Gửi lại" posts
    again everything typed (passwords and chosen files excepted); nothing is saved."""
    # The page cannot make a CSRF token without the session: the sent one is sent again.
    fields = form_fields(request.POST, keep_csrf=True) if request.method == "POST" else []
    html = render_to_string(
        "503.html",
        {
            "fields": fields,
            "action": request.get_full_path(),
            "had_files": request.method == "POST" and bool(request.FILES),
            "retry_after": DATABASE_RETRY_AFTER,
        },
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    # What was typed is in the page: keep it out of every cache.
    response["Cache-Control"] = "no-store"
    return response


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: the sent form back, with a fresh token and "Gửi lại", never saved.

    The usual cause is a sign-in again in another tab (which changes the token) while a
    long form was open; the page says so in Vietnamese instead of Django's English page."""
    fields = form_fields(request.POST) if request.method == "POST" else []
    return repost_page(
        request,
        fields=fields,
        action=request.get_full_path(),
        reason=_(
            "Trang này được mở từ trước khi bạn đăng nhập lại hoặc đã mở quá lâu, nên hệ thống "
            "không thể xác nhận biểu mẫu đến từ bạn."
        ),
        had_files=bool(request.FILES),
        status=403,
    )


@signed_in
@require_http_methods(["GET", "POST"])
def session_status(request):
    """{"ends_in": seconds} of the signed-in session; GET only asks (the warning's check),
    POST ("Tiếp tục làm việc") moves the end as any other request would."""
    if request.method == "POST":
        session_touch(request, force=True)
    else:
        request.no_slide = True
    response = JsonResponse({"ends_in": session_ends_in(request)})
    response["Cache-Control"] = "no-store"
    return response
