"""Excel exports: ask for one, watch it being built, download it (its creator only)."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from audit.services import audit_log
from core.access import roles_required
from reports.exports.jobs import export_job_create, exports_purge
from reports.forms import CaseListExportForm, DailySummaryForm, ServiceLevelForm
from reports.models import ExportJob
from reports.views.dashboard import REPORT_ROLES
from units.selectors import get_unit_within

FORMS = {
    ExportJob.Kind.CASE_LIST: CaseListExportForm,
    ExportJob.Kind.DAILY_SUMMARY: DailySummaryForm,
    ExportJob.Kind.SERVICE_LEVELS: ServiceLevelForm,
}
PREFIXES = {
    ExportJob.Kind.CASE_LIST: "ds",
    ExportJob.Kind.DAILY_SUMMARY: "bc",
    ExportJob.Kind.SERVICE_LEVELS: "tg",
}
SLUGS = {
    "danh-sach-ho-so": ExportJob.Kind.CASE_LIST,
    "bao-cao-ngay": ExportJob.Kind.DAILY_SUMMARY,
    "thoi-gian-xu-ly": ExportJob.Kind.SERVICE_LEVELS,
}


def _initial_unit(request):
    raw = request.GET.get("don_vi")
    if raw and raw.isdigit():
        return get_unit_within(request.user.unit, int(raw)).pk
    return request.user.unit_id


def _page(request, bound_kind=None, bound_form=None, status=200):
    unit_pk = _initial_unit(request) if request.method == "GET" else request.user.unit_id
    forms = {}
    for kind, form_class in FORMS.items():
        if kind == bound_kind:
            forms[kind] = bound_form
        else:
            forms[kind] = form_class(
                user=request.user, initial={"don_vi": unit_pk}, prefix=PREFIXES[kind]
            )
    jobs = ExportJob.objects.filter(created_by=request.user).select_related("unit")[:20]
    return render(
        request,
        "reports/exports.html",
        {
            "case_form": forms[ExportJob.Kind.CASE_LIST],
            "daily_form": forms[ExportJob.Kind.DAILY_SUMMARY],
            "service_form": forms[ExportJob.Kind.SERVICE_LEVELS],
            "jobs": jobs,
        },
        status=status,
    )


@roles_required(*REPORT_ROLES)
def exports(request):
    """The export forms and the user's recent export files."""
    return _page(request)


@require_POST
@roles_required(*REPORT_ROLES)
def export_start(request, slug):
    kind = SLUGS.get(slug)
    if kind is None:
        raise Http404
    raw = request.POST.get(f"{PREFIXES[kind]}-don_vi", "")
    if raw.isdigit():
        # Outside the user's unit a unit does not exist, as everywhere else.
        get_unit_within(request.user.unit, int(raw))
    form = FORMS[kind](request.POST, user=request.user, prefix=PREFIXES[kind])
    if not form.is_valid():
        return _page(request, kind, form, status=400)
    exports_purge()
    job = export_job_create(
        user=request.user,
        kind=kind,
        unit=form.cleaned_data["don_vi"],
        params=form.params(),
        request=request,
    )
    return redirect("reports:export_job", job_id=job.pk)


def _own_job(request, job_id) -> ExportJob:
    return get_object_or_404(
        ExportJob.objects.select_related("unit"), pk=job_id, created_by=request.user
    )


@roles_required(*REPORT_ROLES, Role.SYSTEM_ADMIN)
def export_job(request, job_id):
    """Progress of one export; the page polls itself (htmx) until the file is ready."""
    job = _own_job(request, job_id)
    partial = request.headers.get("HX-Request") == "true"
    template = "reports/_export_status.html" if partial else "reports/export_job.html"
    return render(request, template, {"job": job})


@roles_required(*REPORT_ROLES, Role.SYSTEM_ADMIN)
def export_download(request, job_id):
    job = _own_job(request, job_id)
    if job.state != ExportJob.State.DONE or not job.file_name:
        raise Http404
    audit_log(
        action="report.export_downloaded",
        request=request,
        obj=job,
        unit=job.unit,
        detail={"kind": job.kind, "rows": job.rows_total},
    )
    return FileResponse(
        default_storage.open(job.file_name, "rb"),
        as_attachment=True,
        filename=job.download_name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
