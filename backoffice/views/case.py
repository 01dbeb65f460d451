"""One case: everything declared, its photos, its history, and the commune's decisions.

Anyone whose unit covers the case reads it (and each reading is audited); only officers
and leaders of the case's own commune act on it. Outside the unit the case does not
exist (404), for its photos and its action URLs alike.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import CASE_READER_ROLES
from audit.services import audit_log
from backoffice.forms import (
    AcceptForm,
    CloseForm,
    ConfirmRecoveryForm,
    CorrectionForm,
    RefuseRecoveryForm,
    RejectForm,
    TransferForm,
)
from backoffice.presenters import case_sections, display_value, timeline
from backoffice.selectors import case_photo_ids
from cases import services
from cases.choices import Outcome, RiskFlag
from cases.hints import duplicate_hints
from cases.models import Case
from cases.selectors import get_case_for_user
from core.access import roles_required
from uploads.models import Upload
from uploads.views import serve_upload


def _forms(case: Case, bound: dict | None = None) -> dict[str, forms.Form]:
    built = {
        "accept": AcceptForm(),
        "reject": RejectForm(),
        "transfer": TransferForm(case=case),
        "close": CloseForm(),
        "confirm_recovery": ConfirmRecoveryForm(),
        "refuse_recovery": RefuseRecoveryForm(),
    }
    built.update(bound or {})
    return built


def _render_case(request, case: Case, *, bound: dict | None = None):
    can_act = request.user.may_act_for(case.commune_id)
    actions = case.allowed_actions() if can_act else set()
    recovery = list(case.recovery_declarations.order_by("-submitted_at"))
    for declaration in recovery:
        declaration.symptoms_text = display_value(
            "remaining_symptoms", declaration.remaining_symptoms
        )
    context = {
        "case": case,
        "sections": case_sections(case),
        "timeline": timeline(case),
        "recovery_declarations": recovery,
        "hints": duplicate_hints(request.user, [case]).get(case.pk, []),
        "can_act": can_act,
        "actions": actions,
        "forms": _forms(case, bound) if can_act else {},
        "open_action": next(iter(bound)) if bound else "",
        "bound_form": next(iter(bound.values())) if bound else None,
        "danger": RiskFlag.DANGER in (case.risk_flags or []),
        "outcome_label": Outcome(case.outcome).label if case.outcome else "",
    }
    return render(request, "backoffice/case_detail.html", context)


@roles_required(*CASE_READER_ROLES)
@require_GET
def case_detail(request, pk: int):
    case = get_case_for_user(request.user, pk)
    audit_log(action="case.view", request=request, obj=case, unit=case.commune)
    return _render_case(request, case)


@roles_required(*CASE_READER_ROLES)
@require_GET
def case_photo(request, pk: int, upload_id: int):
    """A photo of the case (its own, a linked declaration's, a recovery test's)."""
    case = get_case_for_user(request.user, pk)
    if upload_id not in case_photo_ids(case):
        raise Http404
    upload = get_object_or_404(Upload, pk=upload_id)
    thumbnail = request.GET.get("size") == "thumb"
    audit_log(
        action="case.photo_view",
        request=request,
        obj=case,
        unit=case.commune,
        detail={"upload": upload.pk, "kind": upload.kind, "thumbnail": thumbnail},
    )
    return serve_upload(upload, thumbnail_only=thumbnail)


def _case_to_act_on(request, pk: int) -> Case:
    case = get_case_for_user(request.user, pk)
    if not request.user.may_act_for(case.commune_id):
        raise PermissionDenied
    return case


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's errors next to the form's fields, or above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _act(request, pk: int, name: str, form_class, perform, success: str, form_kwargs=None):
    """Validate the form of one decision, call its service (which audits), and say what
    happened."""
    case = _case_to_act_on(request, pk)
    form = form_class(request.POST, **(form_kwargs(case) if form_kwargs else {}))
    if form.is_valid():
        try:
            case = perform(case, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success % {"code": case.tracking_code})
            if case.commune_id != request.user.unit_id:
                return redirect("backoffice:transferred")
            return redirect("backoffice:case", pk=case.pk)
    return _render_case(request, case, bound={name: form})


@roles_required(*CASE_READER_ROLES)
@require_POST
def case_accept(request, pk: int):
    def perform(case, data):
        return services.case_accept(case=case, by=request.user, note=data["note"], request=request)

    return _act(request, pk, "accept", AcceptForm, perform, _("Đã tiếp nhận hồ sơ %(code)s."))


@roles_required(*CASE_READER_ROLES)
@require_POST
def case_reject(request, pk: int):
    def perform(case, data):
        return services.case_reject(
            case=case,
            by=request.user,
            reason=data["reason"],
            note=data["note"],
            request=request,
        )

    return _act(
        request, pk, "reject", RejectForm, perform, _("Đã trả lời không tiếp nhận hồ sơ %(code)s.")
    )


@roles_required(*CASE_READER_ROLES)
@require_POST
def case_transfer(request, pk: int):
    def perform(case, data):
        return services.case_transfer(
            case=case,
            by=request.user,
            to_commune=data["to_commune"],
            note=data["note"],
            request=request,
        )

    return _act(
        request,
        pk,
        "transfer",
        TransferForm,
        perform,
        _("Đã chuyển hồ sơ %(code)s sang xã khác."),
        form_kwargs=lambda case: {"case": case},
    )


@roles_required(*CASE_READER_ROLES)
@require_POST
def case_close(request, pk: int):
    def perform(case, data):
        return services.case_close(
            case=case,
            by=request.user,
            outcome=data["outcome"],
            note=data["note"],
            request=request,
        )

    return _act(request, pk, "close", CloseForm, perform, _("Đã kết thúc theo dõi hồ sơ %(code)s."))


@roles_required(*CASE_READER_ROLES)
@require_POST
def case_confirm_recovery(request, pk: int):
    def perform(case, data):
        return services.case_confirm_recovery(
            case=case, by=request.user, note=data["note"], request=request
        )

    return _act(
        request,
        pk,
        "confirm_recovery",
        ConfirmRecoveryForm,
        perform,
        _("Đã xác nhận khỏi bệnh cho hồ sơ %(code)s."),
    )


@roles_required(*CASE_READER_ROLES)
@require_POST
def case_refuse_recovery(request, pk: int):
    def perform(case, data):
        return services.case_refuse_recovery(
            case=case, by=request.user, reason=data["reason"], request=request
        )

    return _act(
        request,
        pk,
        "refuse_recovery",
        RefuseRecoveryForm,
        perform,
        _("Đã trả lời chưa xác nhận khỏi bệnh cho hồ sơ %(code)s."),
    )


@roles_required(*CASE_READER_ROLES)
@require_http_methods(["GET", "POST"])
def case_correct(request, pk: int):
    """Correct what was declared; the case's history keeps the old and new values."""
    case = _case_to_act_on(request, pk)
    initial = {name: getattr(case, name) for name in CorrectionForm.base_fields if name != "reason"}
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.case_values()
        changes = {name: value for name, value in values.items() if getattr(case, name) != value}
        if not changes:
            form.add_error(None, _("Chưa có thông tin nào thay đổi."))
        else:
            try:
                case = services.case_correct(
                    case=case,
                    by=request.user,
                    changes=changes,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã sửa thông tin hồ sơ %s.") % case.tracking_code)
                return redirect("backoffice:case", pk=case.pk)
    return render(
        request,
        "backoffice/case_correct.html",
        {"case": case, "form": form},
    )
