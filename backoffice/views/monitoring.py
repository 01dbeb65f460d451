"""Who did not report: isolating people without a daily health report, and the call noted.

The list gives the phone to call, so each reading is audited (`monitoring.not_reporting_view`,
with the cases shown), like a case's page. Outside the user's unit a case does not exist.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import CASE_READER_ROLES, COMMUNE_ROLES
from audit.services import audit_log
from backoffice.forms import CallNoteForm
from cases import services
from cases.selectors import NOT_REPORTING_SHOWN, cases_not_reporting, get_case_for_user
from core.access import roles_required


def _min_days(raw: str | None) -> int:
    return 2 if raw == "2" else 1


@roles_required(*CASE_READER_ROLES)
@require_GET
def not_reporting(request):
    """Isolating cases without a report today (`?days=2`: for two days or more), riskiest
    first (cases.selectors.cases_not_reporting), with the phone to call."""
    user = request.user
    min_days = _min_days(request.GET.get("days"))
    rows = cases_not_reporting(user, min_days=min_days)
    shown = rows[:NOT_REPORTING_SHOWN]
    audit_log(
        action="monitoring.not_reporting_view",
        request=request,
        unit=user.unit,
        detail={"min_days": min_days, "count": len(rows), "cases": [r.case.pk for r in shown]},
    )
    return render(
        request,
        "backoffice/not_reporting.html",
        {
            "rows": shown,
            "total": len(rows),
            "cut": len(rows) > len(shown),
            "min_days": min_days,
            "today": timezone.localdate(),
            "can_act": user.may_act_for(user.unit_id),
            "show_commune": user.unit.level != "commune",
            "form": CallNoteForm(),
        },
    )


@roles_required(*COMMUNE_ROLES)
@require_POST
def case_called(request, pk: int):
    """ "Called, noted": one click on the list writes the call on the case's timeline."""
    case = get_case_for_user(request.user, pk)
    form = CallNoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.case_call_note(case=case, by=request.user, note=note, request=request)
    messages.success(
        request, _("Đã ghi nhận cuộc gọi cho hồ sơ %(code)s.") % {"code": case.tracking_code}
    )
    days = _min_days(request.POST.get("days"))
    return redirect(reverse("backoffice:not_reporting") + ("?days=2" if days == 2 else ""))
