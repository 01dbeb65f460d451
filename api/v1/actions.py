"""Officials' actions on a case, each taking the version read (If-Match)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Schema

from api import errors as E
from api.errors import ApiError
from api.v1.base import AUTH, AUTHED, _problem_codes, api
from api.v1.schemas import CaseDetail, _form_data, _with_etag
from api.v1.types import GsoCode
from cases.choices import RejectReason
from cases.forms import CaseFieldsForm
from cases.lifecycle import CaseChanged, etag_version, version_check
from cases.models import Case
from cases.selectors import get_case_for_user
from cases.services import (
    CORRECTABLE_FIELDS,
    case_accept,
    case_confirm_recovery,
    case_correct,
    case_reject,
    case_transfer,
)
from units.models import Unit

# --- Actions --------------------------------------------------------------------------------

IF_MATCH = {
    "parameters": [
        {
            "in": "header",
            "name": "If-Match",
            "required": True,
            "schema": {"type": "string"},
            "description": "the case's version (ETag) as last read; 412 when it changed since",
        }
    ]
}


def _act(request, case_id: int, do) -> HttpResponse:
    """Run `do(case)` (a case service) on the case if it is still the version the client
    read (If-Match), under the same row lock the service takes, so two officials' actions
    on one case cannot both pass the check."""
    user = request.auth
    expected = request.headers.get("If-Match")
    if not expected:
        raise ApiError(428, "precondition_required", E.PRECONDITION_REQUIRED, field="If-Match")
    with transaction.atomic():
        case = get_case_for_user(user, case_id)
        case = Case.objects.select_for_update().select_related("commune").get(pk=case.pk)
        try:
            # The pages' rule for two officials on one case (cases.lifecycle.version_check).
            if expected.strip() != "*":
                version_check(case, etag_version(expected))
        except CaseChanged:
            raise ApiError(412, "precondition_failed", E.PRECONDITION, field="If-Match") from None
        case = do(case)
    case.refresh_from_db()
    return _with_etag(request, case)


ACTION_ERRORS = _problem_codes(*AUTHED, 409, 412, 415, 428)


class NoteIn(Schema):
    note: str = Field("", max_length=1000, description="internal note: staff only")


class RejectIn(Schema):
    reason: RejectReason
    note: str = Field("", max_length=1000, description="the citizen reads it with the reason")


class TransferIn(Schema):
    to_commune: GsoCode
    note: str = Field(max_length=1000, description="internal note: staff only")


@api.post(
    "/cases/{case_id}/accept",
    auth=AUTH,
    response={200: CaseDetail, **ACTION_ERRORS},
    tags=["actions"],
    openapi_extra=IF_MATCH,
)
def case_accept_op(request, case_id: int, payload: NoteIn):
    return _act(
        request,
        case_id,
        lambda case: case_accept(case=case, by=request.auth, note=payload.note, request=request),
    )


@api.post(
    "/cases/{case_id}/reject",
    auth=AUTH,
    response={200: CaseDetail, **ACTION_ERRORS},
    tags=["actions"],
    openapi_extra=IF_MATCH,
)
def case_reject_op(request, case_id: int, payload: RejectIn):
    return _act(
        request,
        case_id,
        lambda case: case_reject(
            case=case, by=request.auth, reason=payload.reason, note=payload.note, request=request
        ),
    )


@api.post(
    "/cases/{case_id}/transfer",
    auth=AUTH,
    response={200: CaseDetail, **ACTION_ERRORS},
    tags=["actions"],
    openapi_extra=IF_MATCH,
)
def case_transfer_op(request, case_id: int, payload: TransferIn):
    def do(case):
        to = Unit.objects.filter(
            code=payload.to_commune, unit_set_id=case.commune.unit_set_id
        ).first()
        if to is None:
            raise ApiError(400, "invalid", E.INVALID, field="to_commune")
        return case_transfer(
            case=case, by=request.auth, to_commune=to, note=payload.note, request=request
        )

    return _act(request, case_id, do)


@api.post(
    "/cases/{case_id}/confirm-recovery",
    auth=AUTH,
    response={200: CaseDetail, **ACTION_ERRORS},
    tags=["actions"],
    openapi_extra=IF_MATCH,
)
def case_confirm_recovery_op(request, case_id: int, payload: NoteIn):
    return _act(
        request,
        case_id,
        lambda case: case_confirm_recovery(
            case=case, by=request.auth, note=payload.note, request=request
        ),
    )


class CorrectionIn(Schema):
    changes: dict = Field(
        description="the declared fields to correct and their new values (names as in "
        "enrolment); fields not named keep their value, even one a colleague just changed"
    )
    reason: str = Field(max_length=500)


@api.patch(
    "/cases/{case_id}",
    auth=AUTH,
    response={200: CaseDetail, **ACTION_ERRORS},
    tags=["actions"],
    summary="Correct declared data (cases.services.case_correct)",
    openapi_extra=IF_MATCH,
)
def case_correct_op(request, case_id: int, payload: CorrectionIn):
    """The fields named in `changes` are checked as the correction page checks them, with
    the case's other values; 412 when the case changed since the client read it."""

    def do(case):
        unknown = set(payload.changes) - set(CORRECTABLE_FIELDS)
        if unknown:
            raise ApiError(400, "invalid", E.INVALID, field=sorted(unknown)[0])
        current = {name: getattr(case, name) for name in CaseFieldsForm.base_fields}
        form = CaseFieldsForm(
            _form_data({**current, **payload.changes}),
            check_test_age=False,
            record_date=timezone.localtime(case.submitted_at).date(),
        )
        if not form.is_valid():
            raise E.from_validation(DjangoValidationError(form.errors.as_data()))
        values = form.case_values()
        return case_correct(
            case=case,
            by=request.auth,
            changes={name: values[name] for name in payload.changes},
            reason=payload.reason,
            request=request,
        )

    return _act(request, case_id, do)
