"""One case: everything declared, its photos, its history, and the commune's decisions.

Anyone whose unit covers the case reads it (and each reading is audited); only officers
and leaders of the case's own commune act on it. Outside the unit the case does not
exist (404), for its photos and its action URLs alike.
"""

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import CASE_READER_ROLES
from audit.services import audit_log
from backoffice.case_forms import CaseFieldsForm
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
from cases.selectors import get_case_for_user, transfer_out_of
from cases.services.decisions import field_plain
from core.access import roles_required
from documents.selectors import issued_documents
from documents.services import DocumentsAction, case_correct_with_documents
from uploads.models import Upload
from uploads.views import serve_upload


def _forms(case: Case, bound: dict | None = None) -> dict[str, forms.Form]:
    # Each form carries the version of the case the official decides on.
    seen = {"version": case.version}
    built = {
        "accept": AcceptForm(initial=seen),
        "reject": RejectForm(initial=seen),
        "transfer": TransferForm(case=case, initial=seen),
        "close": CloseForm(initial=seen),
        "confirm_recovery": ConfirmRecoveryForm(initial=seen),
        "refuse_recovery": RefuseRecoveryForm(initial=seen),
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
        "issued_documents": list(issued_documents(case)) if can_act else [],
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


class CaseLeftCommune(Exception):
    """The case was transferred out of the official's commune: say where it went."""

    def __init__(self, response):
        self.response = response


def _left_commune(request, pk: int):
    """A redirect to the transferred-out list that says where case `pk` went, by whom and
    when, if a transfer took it out of the user's commune; None otherwise."""
    event = transfer_out_of(request.user, pk)
    if event is None:
        return None
    messages.error(
        request,
        _(
            "Hồ sơ %(code)s đã được chuyển sang %(to)s lúc %(when)s (%(who)s thực hiện); xã "
            "không còn thao tác trên hồ sơ này."
        )
        % {
            "code": event.case.tracking_code,
            "to": event.data.get("to_commune", ""),
            "when": timezone.localtime(event.at).strftime("%H:%M %d/%m/%Y"),
            "who": event.actor_label,
        },
    )
    return redirect("backoffice:transferred")


def _case_to_act_on(request, pk: int) -> Case:
    """The case the user acts on; CaseLeftCommune when it was transferred out of the
    user's commune, 404 outside the unit, 403 for a reader who does not act for it."""
    try:
        case = get_case_for_user(request.user, pk)
    except Http404:
        left = _left_commune(request, pk)
        if left is None:
            raise
        raise CaseLeftCommune(left) from None
    if not request.user.may_act_for(case.commune_id):
        left = _left_commune(request, pk)
        if left is not None:
            raise CaseLeftCommune(left)
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
    happened.

    The form carries the case's version as the official saw it; a case changed since is
    refused (CaseChanged) and shown again as it is now, the official's input kept and
    the version renewed, so that a second click decides on what is on the screen."""
    try:
        case = _case_to_act_on(request, pk)
    except CaseLeftCommune as left:
        return left.response
    form = form_class(request.POST, **(form_kwargs(case) if form_kwargs else {}))
    if form.is_valid():
        try:
            case = perform(case, form.cleaned_data)
        except services.CaseChanged as exc:
            case = get_case_for_user(request.user, pk) if _still_visible(request, pk) else None
            if case is None or not request.user.may_act_for(case.commune_id):
                return _left_commune(request, pk) or redirect("backoffice:inbox")
            data = request.POST.copy()
            data["version"] = str(case.version)
            form = form_class(data, **(form_kwargs(case) if form_kwargs else {}))
            form.is_valid()
            add_service_errors(form, exc)
        except PermissionDenied:
            left = _left_commune(request, pk)
            if left is None:
                raise
            return left
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success % {"code": case.tracking_code})
            if case.commune_id != request.user.unit_id:
                return redirect("backoffice:transferred")
            return redirect("backoffice:case", pk=case.pk)
    return _render_case(request, case, bound={name: form})


def _still_visible(request, pk: int) -> bool:
    try:
        get_case_for_user(request.user, pk)
    except Http404:
        return False
    return True


@roles_required(*CASE_READER_ROLES)
@require_POST
def case_accept(request, pk: int):
    def perform(case, data):
        return services.case_accept(
            case=case,
            by=request.user,
            note=data["note"],
            request=request,
            seen_version=data["version"],
        )

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
            seen_version=data["version"],
        )

    return _act(
        request,
        pk,
        "reject",
        RejectForm,
        perform,
        _("Đã trả lời từ chối tiếp nhận hồ sơ %(code)s."),
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
            seen_version=data["version"],
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
            seen_version=data["version"],
        )

    return _act(request, pk, "close", CloseForm, perform, _("Đã kết thúc theo dõi hồ sơ %(code)s."))


@roles_required(*CASE_READER_ROLES)
@require_POST
def case_confirm_recovery(request, pk: int):
    def perform(case, data):
        return services.case_confirm_recovery(
            case=case,
            by=request.user,
            note=data["note"],
            request=request,
            seen_version=data["version"],
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
            case=case,
            by=request.user,
            reason=data["reason"],
            request=request,
            seen_version=data["version"],
        )

    return _act(
        request,
        pk,
        "refuse_recovery",
        RefuseRecoveryForm,
        perform,
        _("Đã trả lời từ chối xác nhận khỏi bệnh cho hồ sơ %(code)s."),
    )


SEEN_SALT = "backoffice.case_correct.seen"


def _seen_encode(values: dict) -> str:
    return signing.dumps(
        {name: field_plain(value) for name, value in values.items()}, salt=SEEN_SALT
    )


def _seen_decode(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=SEEN_SALT)
    except signing.BadSignature:
        return None


@roles_required(*CASE_READER_ROLES)
@require_http_methods(["GET", "POST"])
def case_correct(request, pk: int):
    """Correct what was declared; the case's history keeps the old and new values.

    The form carries the values it showed (`seen`, signed): only the fields the official
    changed from those are applied, so a colleague's correction of another field made
    meanwhile stays; a field both changed is refused with both values (the service)."""
    try:
        case = _case_to_act_on(request, pk)
    except CaseLeftCommune as left:
        return left.response
    initial = {name: getattr(case, name) for name in CaseFieldsForm.base_fields}
    initial["seen"] = _seen_encode(initial)
    form = CorrectionForm(
        request.POST or None,
        initial=initial,
        record_date=timezone.localtime(case.submitted_at).date(),
    )
    if request.method == "POST" and form.is_valid():
        values = form.case_values()
        # A form without its own record of what it showed compares with the case as it is.
        seen = _seen_decode(form.cleaned_data["seen"]) or {
            name: field_plain(getattr(case, name)) for name in values
        }
        changes = {
            name: value for name, value in values.items() if field_plain(value) != seen.get(name)
        }
        if not changes:
            form.add_error(None, _("Chưa có thông tin nào thay đổi."))
        else:
            try:
                case, touched = case_correct_with_documents(
                    case=case,
                    by=request.user,
                    changes=changes,
                    reason=form.cleaned_data["reason"],
                    seen=seen,
                    documents_action=form.cleaned_data["documents_action"],
                    request=request,
                )
            except ValidationError as exc:
                if _conflicts(exc):
                    # Shown again with the colleague's values in the message: saving once
                    # more keeps the official's, deliberately.
                    case.refresh_from_db()
                    renewed = {**seen}
                    for name in _conflicts(exc):
                        renewed[name] = field_plain(getattr(case, name))
                    data = request.POST.copy()
                    data["seen"] = signing.dumps(renewed, salt=SEEN_SALT)
                    form = CorrectionForm(data, initial=initial)
                    form.is_valid()
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã sửa thông tin hồ sơ %s.") % case.tracking_code)
                if touched and form.cleaned_data["documents_action"] == DocumentsAction.REPLACE:
                    messages.info(
                        request,
                        _(
                            "Đã thu hồi %(count)s văn bản in thông tin cũ và dự thảo văn bản "
                            "thay thế; văn bản thay thế ghi rõ số, ngày văn bản bị thay thế."
                        )
                        % {"count": len(touched)},
                    )
                elif touched:
                    messages.warning(
                        request,
                        _("Văn bản đã ban hành còn in thông tin cũ: cần thu hồi và thay thế."),
                    )
                return redirect("backoffice:case", pk=case.pk)
    return render(
        request,
        "backoffice/case_correct.html",
        {"case": case, "form": form, "issued_documents": list(issued_documents(case))},
    )


def _conflicts(exc: ValidationError) -> list[str]:
    """The fields a correction was refused for because someone changed them meanwhile."""
    if not hasattr(exc, "error_dict"):
        return []
    return [
        name
        for name, errors in exc.error_dict.items()
        if any(getattr(error, "code", None) == "case_changed" for error in errors)
    ]
