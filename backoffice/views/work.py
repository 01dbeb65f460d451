"""Cases entered by officers: one by one, from an Excel sheet, and decisions on many at once."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import COMMUNE_ROLES
from audit.services import audit_log
from backoffice.forms import BulkActionForm, EnrolmentForm, ImportUploadForm
from backoffice.import_template import import_template_xlsx
from backoffice.imports import error_rows_xlsx, import_job_create
from backoffice.selectors import (
    Tab,
    decision_preview,
    get_job_for_user,
    inbox_queryset,
    job_people,
    jobs_for_user,
)
from backoffice.services import bulk_decision_create, bulk_job_cancel, bulk_job_confirm
from backoffice.views.case import add_service_errors
from cases.services import case_declare
from core.access import roles_required
from jobs import runner

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@roles_required(*COMMUNE_ROLES)
@require_http_methods(["GET", "POST"])
def enrol(request):
    """An officer enters a case from a phone call or a lab list; photos are optional."""
    form = EnrolmentForm(request.POST or None, request.FILES or None, session=request.session)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = case_declare(
                commune=request.user.unit,
                values=form.case_values(),
                test_photo=data["test_photo"],
                id_photo=data["id_photo"],
                submission_key=data["submission_key"],
                entered_by=request.user,
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            case = result.case
            if result.kind == "linked":
                if case.commune_id != request.user.unit_id:
                    messages.warning(
                        request,
                        _(
                            "Người này đang có hồ sơ mở tại %(commune)s; thông tin vừa nhập đã "
                            "được gắn vào hồ sơ đó."
                        )
                        % {"commune": case.commune.name},
                    )
                    return redirect("backoffice:inbox")
                messages.warning(
                    request,
                    _(
                        "Người này đang có hồ sơ mở %(code)s; thông tin vừa nhập đã được gắn "
                        "vào hồ sơ đó, không tạo hồ sơ mới."
                    )
                    % {"code": case.tracking_code},
                )
            else:
                messages.success(
                    request, _("Đã tạo hồ sơ %(code)s.") % {"code": case.tracking_code}
                )
            return redirect("backoffice:case", pk=case.pk)
    return render(request, "backoffice/enrol.html", {"form": form})


@roles_required(*COMMUNE_ROLES)
@require_GET
def import_template(request):
    response = HttpResponse(import_template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-danh-sach-F0.xlsx"'
    return response


@roles_required(*COMMUNE_ROLES)
@require_http_methods(["GET", "POST"])
def import_start(request):
    """Upload a sheet; it is checked and shown for confirmation, nothing is written yet."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_job_create(by=request.user, data=upload.read(), filename=upload.name)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            audit_log(
                action="import.preview",
                request=request,
                obj=job,
                unit=request.user.unit,
                detail={"rows": job.params["rows_read"], "valid": job.total},
            )
            return redirect("backoffice:job", pk=job.pk)
    recent = jobs_for_user(request.user).filter(kind="import_cases")[:10]
    return render(request, "backoffice/import.html", {"form": form, "recent": recent})


@roles_required(*COMMUNE_ROLES)
@require_POST
def bulk_create(request):
    """Accept or reject many cases awaiting review: prepared here, confirmed on the job page."""
    form = BulkActionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if data["scope"] == "all":
            cases = inbox_queryset(request.user, tab=Tab.REVIEW, search=data["q"])
        else:
            cases = inbox_queryset(request.user, tab=Tab.REVIEW).filter(pk__in=data["case"])
        try:
            job = bulk_decision_create(
                by=request.user,
                action=data["action"],
                cases=cases,
                reason=data["reason"],
                note=data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect("backoffice:job", pk=job.pk)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(request.POST.get("next") or "backoffice:inbox")


def _job_context(job, user=None):
    kind = runner.kind_or_none(job.kind)
    outcomes = job.params.get("outcomes", {})
    labels = (kind.outcome_labels if kind else None) or {}
    preview = decision_preview(user, job) if user and job.state == job.State.PREVIEW else None
    return {
        "job": job,
        "decision_rows": preview,
        "people": job_people(user, job) if user and job.is_finished else [],
        "held": sum(1 for row in preview or [] if row.held),
        "kind_label": runner.label_of(job.kind),
        "confirm_label": kind.confirm_label if kind else _("Xác nhận"),
        "outcomes": [(labels[code], outcomes.get(code, 0)) for code in labels],
    }


@roles_required(*COMMUNE_ROLES)
@require_GET
def job_list(request):
    recent = jobs_for_user(request.user).select_related("created_by")[:50]
    rows = [{"job": job, "kind_label": runner.label_of(job.kind)} for job in recent]
    return render(request, "backoffice/job_list.html", {"rows": rows})


@roles_required(*COMMUNE_ROLES)
@require_GET
def job_detail(request, pk: int):
    job = get_job_for_user(request.user, pk)
    return render(request, "backoffice/job_detail.html", _job_context(job, request.user))


@roles_required(*COMMUNE_ROLES)
@require_GET
def job_progress(request, pk: int):
    """The progress block alone, polled by htmx while the job runs."""
    job = get_job_for_user(request.user, pk)
    return render(request, "backoffice/_job_progress.html", _job_context(job, request.user))


@roles_required(*COMMUNE_ROLES)
@require_POST
def job_confirm(request, pk: int):
    job = get_job_for_user(request.user, pk)
    # The confirmation of a bulk decision posts the cases left ticked.
    picked = None
    if "picking" in request.POST:
        picked = {int(v) for v in request.POST.getlist("case") if v.isdigit()}
    try:
        bulk_job_confirm(job=job, by=request.user, picked=picked, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("backoffice:job", pk=job.pk)


@roles_required(*COMMUNE_ROLES)
@require_POST
def job_cancel(request, pk: int):
    job = get_job_for_user(request.user, pk)
    try:
        bulk_job_cancel(job=job, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.info(request, _("Đã hủy."))
    return redirect("backoffice:job", pk=job.pk)


@roles_required(*COMMUNE_ROLES)
@require_GET
def import_error_rows(request, pk: int):
    """The import's rows with errors as an .xlsx, to fix and upload again."""
    job = get_job_for_user(request.user, pk)
    if job.kind != "import_cases" or not job.params.get("error_rows"):
        raise Http404
    response = HttpResponse(error_rows_xlsx(job), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="dong-loi-{job.pk}.xlsx"'
    return response
