"""/api/v1/ (the API, api.v1) and /api/tokens/ (the administrator's page of keys)."""

from django.urls import URLPattern, URLResolver, include, path

from api import views
from api.v1 import api
from core.access import api_view


def _marked(patterns):
    """Every URL of the API answers callers itself (core.access.api_view)."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _marked(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            entry.callback = api_view(entry.callback)
    return patterns


v1_patterns, v1_app, v1_namespace = api.urls

token_patterns = (
    [
        path("", views.token_list, name="list"),
        path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
    ],
    "api_tokens",
)

urlpatterns = [
    path("v1/", include((_marked(v1_patterns), v1_app), namespace=v1_namespace)),
    path("tokens/", include(token_patterns)),
]
