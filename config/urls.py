from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from core.access import public

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("django-admin/", admin.site.urls),
]
