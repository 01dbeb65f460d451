from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from audit.models import AuditEntry
from config.urls import handler500  # noqa: F401 - Django reads it from the root URLconf
from core.access import public


@public
@csrf_exempt
def bare_insert(request):
    """The floor to compare with: a Django view that inserts one row and answers."""
    AuditEntry.objects.create(action="bench.insert")
    return HttpResponse("ok")


urlpatterns = [
    path("bench/insert/", bare_insert),
    path("", include("config.urls")),
]
