from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from core.access import public

urlpatterns = [
    path("", include("core.urls")),
    # Citizens' pages, with Vietnamese paths: /khai-bao/, /tra-cuu/, /khai-bao-khoi-benh/ ...
    path("", include("public.urls")),
    # Document verification (/v/<token>/, public) and officials' document pages.
    path("", include("documents.urls")),
    path("office/", include("backoffice.urls")),
    # Dashboards and exports; the public statistics page lives at /thong-ke/.
    path("", include("reports.urls")),
    # User guides per kind of user (/huong-dan/), public.
    path("", include("guides.urls")),
    # The REST API (/api/v1/, described at /api/v1/openapi.json) and its keys' page.
    path("api/", include("api.urls")),
    path("uploads/", include("uploads.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("django-admin/", admin.site.urls),
]

# A database that does not answer gives a 503 that keeps a sent form (core.views).
handler500 = "core.views.server_error"
