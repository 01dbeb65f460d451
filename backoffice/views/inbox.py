"""The inbox of a commune (and the read-only case lists of districts and the province)."""

import secrets

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import CASE_READER_ROLES, COMMUNE_ROLES
from backoffice.forms import BulkActionForm, InboxFilterForm
from backoffice.selectors import (
    COUNT_CAP,
    Tab,
    exact_match,
    household_groups,
    household_rows_together,
    inbox_page,
    search_q,
    tab_counts,
    transfers_out,
)
from core.access import roles_required

# Search texts (names, phones, ID numbers) never travel in a URL, where access logs and
# browser history would keep them: the search form is posted and the text kept in the
# (server-side) session under a random id, which the URLs carry as `s`.
SEARCHES = "inbox_searches"
SEARCHES_KEPT = 20


def _search_keep(session, text: str) -> str:
    """The id of `text` among the session's last SEARCHES_KEPT searches ("" for none)."""
    if not text:
        return ""
    searches = session.get(SEARCHES, {})
    for search_id, kept in searches.items():
        if kept == text:
            return search_id
    search_id = secrets.token_urlsafe(6)
    searches[search_id] = text
    session[SEARCHES] = dict(list(searches.items())[-SEARCHES_KEPT:])
    return search_id


def _url(tab: str, search_id: str, **extra) -> str:
    params = {"tab": tab}
    if search_id:
        params["s"] = search_id
    params.update({k: v for k, v in extra.items() if v})
    return "?" + urlencode(params)


@roles_required(*CASE_READER_ROLES)
@require_http_methods(["GET", "POST"])
def inbox(request):
    """Cases of the user's unit by tab, oldest waiting first, with flags and duplicate hints.
    A search counts its results on every tab; a whole tracking code or ID number opens the
    case it names (selectors.exact_match).

    POST (the search form) keeps the search text in the session and redirects to the GET
    page naming it by id, so that paging and the back button work without it in the URL."""
    if request.method == "POST":
        tab, q = InboxFilterForm(request.POST).values()
        # A whole tracking code or ID number opens its case, whatever tab it sits under.
        if case := exact_match(request.user, q):
            return redirect("backoffice:case", pk=case.pk)
        return redirect(reverse("backoffice:inbox") + _url(tab, _search_keep(request.session, q)))
    user = request.user
    search_id = request.GET.get("s", "")
    kept = request.session.get(SEARCHES, {}).get(search_id, "") if search_id else ""
    filters = InboxFilterForm({"tab": request.GET.get("tab", ""), "q": kept})
    tab, q = filters.values()
    condition = search_q(q)  # once: matching a name is the dearest part of a search
    page = inbox_page(
        user,
        tab=tab,
        search=q,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        condition=condition,
    )
    counts = tab_counts(user, search=q, condition=condition)
    sid = search_id if q else ""
    tabs = [
        {
            "code": code,
            "label": label,
            "url": _url(code, sid),
            "count": counts.get(code),
            "capped": counts.get(code, 0) > COUNT_CAP,
            "current": code == tab,
        }
        for code, label in Tab.CHOICES
    ]
    # A search that finds nothing here says where it does find something.
    elsewhere = [t for t in tabs if q and not t["current"] and t["count"]]
    can_act = user.may_act_for(user.unit_id)
    # Households declared together are grouped; the first row of each offers to accept it.
    households = household_groups(user, page.rows)
    rows, seen = [], set()
    for case in household_rows_together(page.rows):
        group = households.get(str(case.household_key)) if case.household_key else None
        first = group is not None and group.key not in seen
        if group is not None:
            seen.add(group.key)
        rows.append(
            {"case": case, "hints": page.hints.get(case.pk, []), "household": group, "first": first}
        )
    return render(
        request,
        "backoffice/inbox.html",
        {
            "filters": filters,
            "tab": tab,
            "tab_label": dict(Tab.CHOICES)[tab],
            "q": q,
            # An id from another session, or one pushed out by newer searches.
            "search_lost": bool(search_id) and not q,
            "tabs": tabs,
            "elsewhere": elsewhere,
            "rows": rows,
            "next_url": _url(tab, sid, after=page.next_cursor) if page.next_cursor else "",
            "prev_url": _url(tab, sid, before=page.prev_cursor) if page.prev_cursor else "",
            "first_url": _url(tab, sid) if page.prev_cursor else "",
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
