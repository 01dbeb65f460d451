"""The audit trail for system administrators and the Department of Health."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from audit.services import audit_log
from core.access import roles_required
from reports.audit import audit_entries
from reports.exports.jobs import export_job_create
from reports.forms import AuditFilterForm
from reports.models import ExportJob
from reports.paging import keyset_page

AUDIT_ROLES = (Role.SYSTEM_ADMIN, Role.PROVINCE_HEALTH)
PER_PAGE = 50


@roles_required(*AUDIT_ROLES)
def audit_list(request):
    """Who did or viewed what, when and from where, newest first; reading it is audited too."""
    form = AuditFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    entries = audit_entries(request.user.unit, filters).select_related("unit")
    page = keyset_page(entries, field="at", cursor=request.GET.get("sau"), size=PER_PAGE)
    audit_log(
        action="audit.viewed",
        request=request,
        unit=request.user.unit,
        detail={k: v for k, v in filters.items() if v},
    )
    query = request.GET.copy()
    query.pop("sau", None)
    return render(
        request,
        "reports/audit.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "first_page": not request.GET.get("sau"),
        },
    )


@require_POST
@roles_required(*AUDIT_ROLES)
def audit_export(request):
    form = AuditFilterForm(request.POST)
    job = export_job_create(
        user=request.user,
        kind=ExportJob.Kind.AUDIT,
        unit=request.user.unit,
        params=form.filters(),
        request=request,
    )
    return redirect("reports:export_job", job_id=job.pk)
