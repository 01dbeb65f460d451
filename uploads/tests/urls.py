"""The project's URLs plus the uploads app and a sample form that uses StagedImageField."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns
from uploads.tests.sample_form import declaration_sample

urlpatterns = [
    *project_urlpatterns,
    path("__test__/declaration/", declaration_sample, name="declaration_sample"),
]
if not any(getattr(p, "namespace", None) == "uploads" for p in project_urlpatterns):
    urlpatterns.append(path("uploads/", include("uploads.urls")))
