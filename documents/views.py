"""Officials' document pages: a case's documents, the draft, issuing, revoking, downloading,
the commune leader's queue with batch issuing, and the wording settings."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import CASE_READER_ROLES, COMMUNE_ROLES, Role
from audit.services import audit_log
from cases.selectors import get_case_for_user
from core.access import roles_required
from documents import batches, outreach, services
from documents.confirmation import signing_preview
from documents.forms import (
    BatchForm,
    KindFilterForm,
    OutreachForm,
    RevokeForm,
    SignConfirmForm,
    UnitChoiceForm,
    WordingForm,
)
from documents.models import Document, Kind
from documents.selectors import (
    get_document_for_user,
    may_issue,
    outreach_communes_for,
    pending_documents,
    settings_units_for,
    wording_for,
)
from documents.signing import SigningRefused
from jobs.models import BulkJob
from units.models import Unit

PENDING_PAGE_SIZE = 200


def _safe_next(request) -> str:
    """The page the action came from, if it is a page of this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _back(request, case_id: int):
    """Where an action returns: the page it came from, else the case page."""
    return redirect(_safe_next(request) or reverse("backoffice:case", args=[case_id]))


def _messages_from(exc: ValidationError) -> str:
    return " ".join(str(message) for message in exc.messages)


def pdf_response(file, *, filename: str, as_attachment: bool = False) -> HttpResponse:
    response = FileResponse(
        file, content_type="application/pdf", filename=filename, as_attachment=as_attachment
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download_name(document: Document) -> str:
    prefix = "quyet-dinh" if document.kind == Kind.ISOLATION_DECISION else "giay-xac-nhan"
    return f"{prefix}-{document.number:02d}-{document.year}.pdf"


@roles_required(*COMMUNE_ROLES)
@require_POST
def prepare(request, case_pk: int, kind: str):
    """Prepare a document that does not exist yet (a case accepted before, a replacement)."""
    case = get_case_for_user(request.user, case_pk)
    if kind not in Kind.values:
        raise Http404
    services.document_prepare(case=case, kind=kind, by=request.user)
    messages.success(request, _("Đã dự thảo văn bản; xem bản dự thảo trước khi ban hành."))
    return _back(request, case.pk)


@roles_required(*CASE_READER_ROLES)
@require_GET
def preview(request, pk: int):
    """The draft as it would be issued today, watermarked DỰ THẢO and without a number."""
    document = get_document_for_user(request.user, pk)
    if not document.is_prepared:
        return redirect("documents:download", pk=document.pk)
    pdf = services.document_preview_pdf(document=document)
    audit_log(action="document.preview", request=request, obj=document, unit=document.commune)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="du-thao.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@roles_required(*CASE_READER_ROLES)
@require_GET
def download(request, pk: int):
    """The issued (or revoked) PDF exactly as signed; every download is audited."""
    document = get_document_for_user(request.user, pk)
    file = services.document_file_open(document=document, request=request)
    return pdf_response(file, filename=download_name(document))


def _sign_form(request, commune) -> tuple[SignConfirmForm, object | None]:
    """The confirmation form for the commune's signer, and the signer (None, with the
    reason as a message, when the server lacks its configuration)."""
    try:
        signer = services.commune_signer(commune)
    except ValidationError as exc:
        messages.error(request, _messages_from(exc))
        signer = None
    data = request.POST if request.method == "POST" and "confirm" in request.POST else None
    form = SignConfirmForm(
        data,
        signer_kind=signer.kind if signer else "",
        needs_pin=bool(signer and signer.needs_pin),
    )
    return form, signer


@roles_required(*COMMUNE_ROLES)
@require_http_methods(["GET", "POST"])
def issue(request, pk: int):
    """Issue one prepared document: first what will be signed (person, provisional number,
    period, flags, the draft), then, confirmed with the PIN if the signer needs one,
    number, render, sign, store, notify. A POST without the confirmation (the old one-click
    button) only shows the preview."""
    document = get_document_for_user(request.user, pk)
    back = _safe_next(request) or reverse("backoffice:case", args=[document.case_id])
    if not document.is_prepared:
        messages.error(
            request, _("Văn bản này đã được ban hành hoặc thu hồi; không ban hành lại được.")
        )
        return redirect(back)
    if not may_issue(request.user, document):
        raise PermissionDenied
    form, signer = _sign_form(request, document.commune)
    if form.is_bound and signer is not None and form.is_valid():
        try:
            document = services.document_issue(
                document=document,
                by=request.user,
                request=request,
                confirm_past_period=request.POST.get("confirm_past_period") == "on",
                **form.secrets(),
            )
        except SigningRefused as exc:
            form.add_error("pin" if "pin" in form.fields else None, exc)
        except ValidationError as exc:
            messages.error(request, _messages_from(exc))
            return redirect(back)
        else:
            messages.success(
                request,
                _("Đã ký và ban hành %(kind)s số %(number)s.")
                % {"kind": document.get_kind_display().lower(), "number": document.number_label},
            )
            return redirect(back)
    rows = signing_preview(request.user, [document])
    period_over = document.kind == Kind.ISOLATION_DECISION and services.period_over(
        document.case, timezone.localdate()
    )
    context = {
        "rows": rows,
        "form": form,
        "signer": signer,
        "next": back,
        "document": document,
        "period_over": period_over,
    }
    return render(request, "documents/issue_confirm.html", context)


@roles_required(*COMMUNE_ROLES)
@require_POST
def issue_in_order(request, case_pk: int):
    """A recovered case without an issued decision: issue the decision, then the recovery
    confirmation citing it (documents_issue_in_order)."""
    case = get_case_for_user(request.user, case_pk)
    try:
        issued = services.documents_issue_in_order(
            case=case,
            by=request.user,
            request=request,
            confirm_past_period=request.POST.get("confirm_past_period") == "on",
        )
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, _messages_from(exc))
    else:
        numbers = ", ".join(document.number_label for document in issued)
        messages.success(request, _("Đã ban hành theo thứ tự: %(numbers)s.") % {"numbers": numbers})
    return _back(request, case.pk)


@roles_required(*COMMUNE_ROLES)
@require_http_methods(["GET", "POST"])
def revoke(request, pk: int):
    """Revoke an issued document with a reason; its replacement is prepared on request."""
    document = get_document_for_user(request.user, pk)
    if not document.is_issued:
        messages.error(request, _("Chỉ thu hồi được văn bản đã ban hành và chưa bị thu hồi."))
        return _back(request, document.case_id)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_revoke(
                document=document,
                by=request.user,
                reason=form.cleaned_data["reason"],
                prepare_replacement=form.cleaned_data["prepare_replacement"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Đã thu hồi văn bản số %(number)s.") % {"number": document.number_label}
            )
            return _back(request, document.case_id)
    back = _safe_next(request) or reverse("backoffice:case", args=[document.case_id])
    context = {"document": document, "form": form, "next": back}
    return render(request, "documents/revoke.html", context)


@roles_required(*COMMUNE_ROLES)
@require_GET
def pending(request):
    """Prepared documents of the commune waiting to be issued, oldest first."""
    filters = KindFilterForm(request.GET or None)
    kind = filters.cleaned_data["kind"] if filters.is_valid() else ""
    documents = pending_documents(request.user, kind=kind)
    wording = wording_for(request.user.unit)
    can_issue = request.user.role == Role.COMMUNE_LEADER or not wording.leader_must_issue
    total = documents.count()
    batches_ = BulkJob.objects.filter(kind=batches.KIND, commune_id=request.user.unit_id)[:5]
    shown = list(documents[:PENDING_PAGE_SIZE])
    today = timezone.localdate()
    # Decisions that would order an isolation already over: marked, and confirmed to issue.
    past = {
        document.pk
        for document in shown
        if document.kind == Kind.ISOLATION_DECISION and services.period_over(document.case, today)
    }
    context = {
        "documents": shown,
        "past_period": past,
        "total": total,
        "filters": filters,
        "kind": kind,
        "can_issue": can_issue,
        "leader_must_issue": wording.leader_must_issue,
        "batches": batches_,
    }
    return render(request, "documents/pending.html", context)


@roles_required(*COMMUNE_ROLES)
@require_POST
def batch_create(request):
    """Issue the chosen (or all) prepared documents in the background."""
    kind = request.POST.get("kind", "")
    candidates = pending_documents(request.user, kind=kind if kind in Kind.values else "")
    ids = list(candidates.values_list("pk", flat=True))
    form = BatchForm(request.POST, pending_ids=ids)
    if not form.is_valid():
        for error in form.non_field_errors() or [_("Danh sách văn bản đã thay đổi; tải lại.")]:
            messages.error(request, error)
        return redirect("documents:pending")
    chosen = list(
        candidates.filter(pk__in=form.selected_ids()).select_related("commune", "case__commune")
    )
    try:
        job = batches.documents_batch_prepare(
            by=request.user,
            documents=chosen,
            confirm_past_period=form.cleaned_data["confirm_past_period"],
        )
    except ValidationError as exc:
        messages.error(request, _messages_from(exc))
        return redirect("documents:pending")
    return redirect("documents:batch", pk=job.pk)


def _commune_batch(request, pk: int) -> BulkJob:
    return get_object_or_404(BulkJob, pk=pk, kind=batches.KIND, commune_id=request.user.unit_id)


@roles_required(*COMMUNE_ROLES)
@require_GET
def batch(request, pk: int):
    """A batch to confirm (what will be signed), or its progress and summary; htmx asks
    for the progress part every second."""
    job = _commune_batch(request, pk)
    if job.state == BulkJob.State.PREVIEW:
        return _batch_confirm_page(request, job, *_sign_form(request, request.user.unit))
    template = (
        "documents/_batch_progress.html"
        if request.headers.get("HX-Request")
        else "documents/batch.html"
    )
    return render(request, template, {"job": job})


def _batch_confirm_page(request, job, form, signer):
    rows = signing_preview(request.user, batches.batch_documents(job))
    context = {
        "job": job,
        "rows": rows,
        "form": form,
        "signer": signer,
        "flagged": sum(1 for row in rows if row.flagged),
        "gone": job.total - len(rows),
        "mine": job.created_by_id == request.user.pk,
    }
    return render(request, "documents/batch_confirm.html", context)


@roles_required(*COMMUNE_ROLES)
@require_POST
def batch_confirm(request, pk: int):
    """Sign the previewed batch (with the PIN when the signer needs one)."""
    job = _commune_batch(request, pk)
    form, signer = _sign_form(request, request.user.unit)
    if signer is not None and form.is_valid():
        try:
            batches.documents_batch_confirm(job=job, by=request.user, **form.secrets())
        except SigningRefused as exc:
            form.add_error("pin" if "pin" in form.fields else None, exc)
        except ValidationError as exc:
            messages.error(request, _messages_from(exc))
            return redirect("documents:batch", pk=job.pk)
        else:
            return redirect("documents:batch", pk=job.pk)
    if job.state != BulkJob.State.PREVIEW:
        return redirect("documents:batch", pk=job.pk)
    return _batch_confirm_page(request, job, form, signer)


@roles_required(*COMMUNE_ROLES)
@require_POST
def batch_cancel(request, pk: int):
    """Drop a batch before signing; its documents stay prepared."""
    job = _commune_batch(request, pk)
    batches.documents_batch_cancel(job=job, by=request.user)
    messages.info(request, _("Đã hủy, chưa ký văn bản nào."))
    return redirect("documents:pending")


@roles_required(*COMMUNE_ROLES)
@require_GET
def batch_download(request, pk: int, fmt: str):
    """What a batch issued, as one file: `pdf` merged to print, or `zip` of the signed PDFs."""
    if fmt not in {"pdf", "zip"}:
        raise Http404
    job = get_object_or_404(BulkJob, pk=pk, kind=batches.KIND, commune_id=request.user.unit_id)
    try:
        file = batches.batch_download(
            job=job, by=request.user, request=request, merged=fmt == "pdf"
        )
    except ValidationError as exc:
        messages.error(request, _messages_from(exc))
        return redirect("documents:batch", pk=job.pk)
    if fmt == "pdf":
        return pdf_response(file, filename=f"ban-hanh-dot-{job.pk}.pdf", as_attachment=True)
    response = FileResponse(
        file,
        content_type="application/zip",
        filename=f"ban-hanh-dot-{job.pk}.zip",
        as_attachment=True,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@roles_required(Role.SYSTEM_ADMIN, Role.COMMUNE_LEADER)
@require_http_methods(["GET", "POST"])
def settings_view(request):
    """The wording of documents: a system administrator picks the province or a commune;
    a commune leader edits his own commune's."""
    units = settings_units_for(request.user).order_by("level", "code")
    chooser = UnitChoiceForm(request.GET or None, units=units)
    if "unit" in request.GET and not chooser.is_valid():
        raise Http404  # a unit outside the user's reach
    unit = chooser.cleaned_data["unit"] if "unit" in request.GET else units.first()
    if unit is None:
        raise PermissionDenied
    wording = wording_for(unit)
    own = wording.pk is not None and wording.unit_id == unit.pk
    form = WordingForm(request.POST or None, instance=wording if own else None)
    if not own:
        form.initial = {f: getattr(wording, f) for f in WordingForm.Meta.fields}
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in WordingForm.Meta.fields}
        try:
            services.document_settings_save(
                unit=unit, by=request.user, values=values, request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu mẫu văn bản của %(unit)s.") % {"unit": unit.name})
            return redirect(reverse("documents:settings") + f"?unit={unit.pk}")
    context = {
        "form": form,
        "chooser": chooser if units.count() > 1 else None,
        "unit": unit,
        "inherited": not own,
        "source": wording.unit if wording.pk else None,
    }
    return render(request, "documents/settings.html", context)


@roles_required(Role.SYSTEM_ADMIN, Role.COMMUNE_LEADER)
@require_http_methods(["GET", "POST"])
def outreach_kit(request):
    """Posters and loudspeaker announcements: a system administrator makes them for every
    commune of the province (or of one district) in one action, a leader for his commune.
    The answer is a ZIP: one PDF per commune, and all posters in one PDF to print."""
    user = request.user
    districts = (
        Unit.objects.filter(parent=user.unit, level=Unit.Level.DISTRICT).order_by("code")
        if user.role == Role.SYSTEM_ADMIN
        else Unit.objects.none()
    )
    form = OutreachForm(request.POST or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        within = form.cleaned_data.get("district")
        communes = list(outreach_communes_for(user, within=within))
        if not communes:
            raise Http404
        archive = outreach.outreach_zip(communes)
        audit_log(
            action="outreach.kit",
            request=request,
            unit=within or user.unit,
            detail={"communes": len(communes)},
        )
        response = HttpResponse(archive, content_type="application/zip")
        slug = within.code if within else user.unit.code
        response["Content-Disposition"] = f'attachment; filename="tuyen-truyen-{slug}.zip"'
        response["Cache-Control"] = "private, no-store"
        return response
    context = {
        "form": form,
        "count": outreach_communes_for(user).count(),
        "url": outreach.declaration_url(),
        "is_admin": user.role == Role.SYSTEM_ADMIN,
    }
    return render(request, "documents/outreach.html", context)
