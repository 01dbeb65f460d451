"""Operations without a key: the status lookup, the verification of a document, the
citizens' declarations."""

import uuid
from datetime import date, datetime

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Form, Schema, UploadedFile
from ninja import Status as HttpStatus

from api import errors as E
from api.errors import ApiError
from api.v1.base import (
    UnitOut,
    _client_limits,
    _idempotency_key,
    _limited,
    _problem_codes,
    _too_many,
    _unit,
    api,
)
from api.v1.schemas import Declaration
from api.v1.types import GsoCode, IsoDate
from cases.choices import Status, Symptom, TestedBy, TestType
from cases.models import Case
from cases.selectors import public_timeline
from cases.services import (
    case_declare,
    case_request_recovery,
)
from cases.services.lookup import case_lookup
from core.client import client_address
from core.masking import mask_name
from documents.selectors import document_by_token
from public.document_views import VERIFY_LIMIT
from public.forms import DeclarationForm, RecoveryForm
from public.views import CODE_LOCKED, DECLARE_LIMITS, DECLARE_PHONE_LIMIT
from units.models import Unit

# --- Public ---------------------------------------------------------------------------------


def _status(case: Case) -> dict:
    return {
        "tracking_code": case.tracking_code,
        "status": case.status,
        "status_label": str(Status(case.status).label),
        "commune": _unit(case.commune),
        "submitted_at": case.submitted_at,
        "isolation_end": case.isolation_end,
        "extended_isolation_end": case.extended_isolation_end,
        "timeline": [
            # The message to the citizen, never the internal note (CaseEvent.reason); the
            # key keeps its name for the clients already reading it.
            {"at": e.at, "kind": e.kind, "status": e.to_status, "reason": e.message}
            for e in public_timeline(case)
        ],
    }


def _citizen_case(request, tracking_code: str, secret: str) -> Case:
    """The case of a citizen's pair through the lookup's limits (cases.services.lookup, as
    the status page): 429 when refused or the code is locked, 404 when not found."""
    found = case_lookup(
        tracking_code=tracking_code,
        secret=secret,
        address=client_address(request) or "",
        request=request,
    )
    if found.refused_for is not None:
        _too_many(found.refused_for)
    if found.code_locked_for is not None:
        _too_many(found.code_locked_for, CODE_LOCKED)
    if found.case is None:
        raise Http404
    return found.case


class LookupIn(Schema):
    tracking_code: str = Field(max_length=30)
    id_number: str = Field(
        max_length=30,
        description="the ID number declared; for a person without papers (a child, an "
        "elderly parent), the phone of the guardian or relative who declared them",
    )


class TimelineEntry(Schema):
    at: datetime
    kind: str
    status: str
    reason: str = Field(description="the commune's message to the citizen (internal notes never)")


class StatusOut(Schema):
    tracking_code: str
    status: str
    status_label: str
    commune: UnitOut
    submitted_at: datetime
    isolation_end: date
    extended_isolation_end: date
    timeline: list[TimelineEntry]


@api.post(
    "/status",
    auth=None,
    response={200: StatusOut, **_problem_codes(400, 404, 415, 429)},
    tags=["public"],
    summary="A citizen's case by tracking code and ID number",
)
def status_lookup(request, payload: LookupIn):
    """Wrong pairs limited per client address and per tracking code, as the status page
    (cases.services.lookup): a right pair is not refused for somebody else's wrong ones;
    while a code is locked every pair gets 429, a right one also its link by SMS."""
    case = _citizen_case(request, payload.tracking_code, payload.id_number)
    response = api.create_response(request, _status(case), status=200)
    response["Cache-Control"] = "no-store"
    return response


class VerifyOut(Schema):
    kind: str
    kind_label: str
    state: str = Field(description="issued | revoked")
    valid: bool
    number: str
    issued_on: date | None
    commune: UnitOut
    holder: str = Field(description="masked name of the person")


@api.get(
    "/documents/verify/{token}",
    auth=None,
    response={200: VerifyOut, **_problem_codes(400, 404, 429)},
    tags=["public"],
    summary="Whether a document is valid, by the token of its QR code",
)
def document_verify(request, token: str):
    _limited(request, _client_limits(request, [VERIFY_LIMIT]))
    document = document_by_token(token)
    if document is None:
        raise Http404
    number = f"{document.number}/{document.symbol}" if document.number else ""
    return {
        "kind": document.kind,
        "kind_label": str(document.get_kind_display()),
        "state": document.state,
        "valid": document.is_issued,
        "number": number,
        "issued_on": document.issued_on,
        "commune": _unit(document.commune),
        "holder": mask_name(document.case.full_name),
    }


# --- Citizens' declarations (public) --------------------------------------------------------


class DeclarationIn(Declaration):
    commune: GsoCode = Field(description="GSO code of the commune where the person stays")
    consent: bool = Field(description="the person agrees to the processing of the data")


class DeclaredOut(Schema):
    tracking_code: str
    status: str
    result: str = Field(description="created: a new case; linked: added to the open case")


def _citizen_form(form_class, request, **kwargs):
    """A public page's form on the request's fields and files; the staged photos are kept in
    a session of this request only (nothing is staged across API calls)."""
    return form_class(request.POST, request.FILES, session=SessionBase(), **kwargs)


@api.post(
    "/declarations",
    auth=None,
    response={201: DeclaredOut, 200: DeclaredOut, **_problem_codes(400, 403, 413, 415, 429)},
    tags=["public"],
    summary="A citizen declares an infection (multipart, with the photo of the test)",
)
def declaration_submit(
    request,
    payload: Form[DeclarationIn],
    test_photo: File[UploadedFile],
    id_photo: File[UploadedFile] = None,
):
    """Checked as the public form checks it (public.forms.DeclarationForm), rate limited per
    client address and per phone as the public pages. 200 when the person's open case
    received it. Where phone verification is required, declarations go through the site."""
    if settings.PHONE_VERIFICATION_REQUIRED:
        raise ApiError(403, "phone_verification_required", PHONE_REQUIRED)
    if not payload.consent:
        raise ApiError(400, "required", CONSENT_REQUIRED, field="consent")
    commune = Unit.objects.filter(code=payload.commune, level=Unit.Level.COMMUNE).first()
    data = request.POST.copy()
    data["commune"] = str(commune.pk) if commune else ""
    request.POST = data
    _limited(
        request,
        _client_limits(request, DECLARE_LIMITS, {DECLARE_PHONE_LIMIT: payload.phone}),
    )
    form = _citizen_form(DeclarationForm, request)
    if not form.is_valid():
        raise E.from_validation(DjangoValidationError(form.errors.as_data()))
    key = _idempotency_key(request)
    result = case_declare(
        commune=form.cleaned_data["commune"],
        values=form.case_values(),
        test_photo=form.cleaned_data["test_photo"],
        id_photo=form.cleaned_data.get("id_photo"),
        submission_key=uuid.uuid5(uuid.NAMESPACE_URL, f"api:citizen:{key}") if key else None,
        consent_at=timezone.now(),
    )
    status = 201 if result.kind == "created" and not result.replayed else 200
    return HttpStatus(
        status,
        {
            "tracking_code": result.case.tracking_code,
            "status": result.case.status,
            "result": result.kind,
        },
    )


class RecoveryIn(Schema):
    tracking_code: str = Field(max_length=20)
    secret: str = Field(max_length=20, description="the ID number declared")
    negative_test_date: IsoDate
    test_type: TestType
    tested_by: TestedBy
    remaining_symptoms: list[Symptom] = Field([], max_length=len(Symptom.values))


@api.post(
    "/recovery-declarations",
    auth=None,
    response={201: StatusOut, **_problem_codes(400, 404, 409, 413, 415, 429)},
    tags=["public"],
    summary="A citizen declares a negative test (multipart, with its photo)",
)
def recovery_submit(request, payload: Form[RecoveryIn], result_photo: File[UploadedFile]):
    """Checked as the public recovery form (public.forms.RecoveryForm), rate limited as the
    status lookup; refused before the earliest recovery date (cases.services.recovery)."""
    form = _citizen_form(RecoveryForm, request)
    if not form.is_valid():
        raise E.from_validation(DjangoValidationError(form.errors.as_data()))
    case = _citizen_case(request, payload.tracking_code, form.cleaned_data["secret"])
    case_request_recovery(
        case=case,
        negative_test_date=form.cleaned_data["negative_test_date"],
        test_type=form.cleaned_data["test_type"],
        tested_by=form.cleaned_data["tested_by"],
        result_photo=form.cleaned_data["result_photo"],
        remaining_symptoms=form.cleaned_data["remaining_symptoms"],
    )
    case.refresh_from_db()
    return HttpStatus(201, _status(case))


PHONE_REQUIRED = _(
    "Tỉnh yêu cầu xác nhận số điện thoại: vui lòng khai báo trên trang web của hệ thống."
)
CONSENT_REQUIRED = _("Bạn cần đồng ý để gửi khai báo.")
