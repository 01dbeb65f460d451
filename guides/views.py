"""The user guides: public pages (a guide holds no personal data), rendered from
guides.content, so that anyone, and anything printed, can point at them."""

from django.contrib.staticfiles import finders
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.access import public
from guides.content import BY_ROLE, BY_SLUG, GUIDES


@public
@require_GET
def index(request):
    """Every guide, the signed-in official's own first."""
    own = BY_ROLE.get(getattr(request.user, "role", None))
    return render(request, "guides/index.html", {"guides": GUIDES, "own": own})


@public
@require_GET
def guide(request, slug: str):
    """One guide: its steps with their screenshots, a link to each real page where the page
    stands on its own, and the printable PDF when `make guides` has produced it. 404 for an
    unknown slug."""
    current = BY_SLUG.get(slug)
    if current is None:
        raise Http404
    steps = [
        {"step": step, "number": number, "shot": current.shot_path(step)}
        for number, step in enumerate(current.steps, start=1)
    ]
    return render(
        request,
        "guides/guide.html",
        {
            "guide": current,
            "steps": steps,
            "pdf": current.pdf_path if finders.find(current.pdf_path) else "",
        },
    )
