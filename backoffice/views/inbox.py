"""The inbox of a commune (and the read-only case lists of districts and the province)."""

from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from accounts.models import CASE_READER_ROLES, COMMUNE_ROLES
from backoffice.forms import BulkActionForm, InboxFilterForm
from backoffice.selectors import COUNT_CAP, Tab, inbox_page, tab_counts, transfers_out
from core.access import roles_required


def _url(tab: str, q: str, **extra) -> str:
    params = {"tab": tab}
    if q:
        params["q"] = q
    params.update({k: v for k, v in extra.items() if v})
    return "?" + urlencode(params)


@roles_required(*CASE_READER_ROLES)
@require_GET
def inbox(request):
    """Cases of the user's unit by tab, oldest waiting first, with flags and duplicate hints."""
    user = request.user
    filters = InboxFilterForm(request.GET or None)
    tab, q = filters.values()
    page = inbox_page(
        user, tab=tab, search=q, after=request.GET.get("after"), before=request.GET.get("before")
    )
    counts = tab_counts(user, search=q)
    tabs = [
        {
            "code": code,
            "label": label,
            "url": _url(code, q),
            "count": counts.get(code),
            "capped": counts.get(code, 0) > COUNT_CAP,
            "current": code == tab,
        }
        for code, label in Tab.CHOICES
    ]
    can_act = user.may_act_for(user.unit_id)
    rows = [{"case": case, "hints": page.hints.get(case.pk, [])} for case in page.rows]
    return render(
        request,
        "backoffice/inbox.html",
        {
            "filters": filters,
            "tab": tab,
            "tab_label": dict(Tab.CHOICES)[tab],
            "q": q,
            "tabs": tabs,
            "rows": rows,
            "next_url": _url(tab, q, after=page.next_cursor) if page.next_cursor else "",
            "prev_url": _url(tab, q, before=page.prev_cursor) if page.prev_cursor else "",
            "first_url": _url(tab, q) if page.prev_cursor else "",
            "can_act": can_act,
            "bulk": can_act and tab == Tab.REVIEW,
            "bulk_form": BulkActionForm(),
            "show_commune": user.unit.level != "commune",
            "cap": COUNT_CAP,
        },
    )


@roles_required(*COMMUNE_ROLES)
@require_GET
def transferred_out(request):
    """Cases the commune handed to another commune: the trace stays, the personal data goes."""
    events, next_cursor = transfers_out(request.user, after=request.GET.get("after"))
    return render(
        request,
        "backoffice/transferred.html",
        {
            "events": events,
            "next_url": "?" + urlencode({"after": next_cursor}) if next_cursor else "",
            "first_url": "?" if request.GET.get("after") else "",
        },
    )
