"""Cases of the caller's unit: the list, one case, an enrolment."""

import hashlib
import uuid
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Schema

from accounts.models import User
from api import errors as E
from api.errors import ApiError
from api.models import IdempotentRequest
from api.selectors import after_cursor, cursor_decode, cursor_encode
from api.v1.base import (
    AUTH,
    AUTHED,
    _idempotency_key,
    _problem_codes,
    api,
)
from api.v1.schemas import (
    CaseDetail,
    CasePage,
    EnrolOut,
    JsonDeclaration,
    _form_data,
    _summary,
    _with_etag,
)
from api.v1.types import GsoCode, IsoDate
from audit.services import audit_log
from cases.choices import Status
from cases.forms import CaseFieldsForm
from cases.models import Case
from cases.selectors import cases_visible_to, get_case_for_user
from cases.services import (
    case_declare,
)
from units.models import Unit

# --- Cases ----------------------------------------------------------------------------------


class CaseFilters(Schema):
    status: Status | None = Field(None, description="only cases in this status")
    commune: GsoCode | None = None
    submitted_from: IsoDate | None = Field(None, description="declared on or after (local date)")
    submitted_to: IsoDate | None = Field(None, description="declared on or before (local date)")
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=200)


def _local_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered(cases: QuerySet[Case], filters: CaseFilters) -> QuerySet[Case]:
    """`cases` narrowed by the filters of the list and the export (cursor and limit aside);
    the dates are local days, `submitted_to` included."""
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.commune:
        cases = cases.filter(commune__code=filters.commune)
    if filters.submitted_from:
        cases = cases.filter(submitted_at__gte=_local_start(filters.submitted_from))
    if filters.submitted_to:
        cases = cases.filter(
            submitted_at__lt=_local_start(filters.submitted_to) + timezone.timedelta(days=1)
        )
    return cases


@api.get(
    "/cases",
    auth=AUTH,
    response={200: CasePage, **_problem_codes(*AUTHED)},
    tags=["cases"],
    summary="Cases in the caller's unit, newest first",
)
def case_list(request, filters: Query[CaseFilters]):
    """Keyset pagination on (submitted_at, id): stable while new cases arrive."""
    cases = filtered(cases_visible_to(request.auth).select_related("commune"), filters)
    if filters.cursor:
        position = cursor_decode(filters.cursor)
        if position is None:
            raise ApiError(400, "invalid", E.INVALID, field="cursor")
        cases = after_cursor(cases, position)
    page = list(cases.order_by("-submitted_at", "-pk")[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    return {
        "items": [_summary(case) for case in page],
        "next_cursor": cursor_encode(page[-1]) if more else None,
    }


@api.get(
    "/cases/{case_id}",
    auth=AUTH,
    response={200: CaseDetail, **_problem_codes(*AUTHED)},
    tags=["cases"],
    summary="One case, with its version (ETag)",
)
def case_read(request, case_id: int):
    case = get_case_for_user(request.auth, case_id)
    audit_log(action="case.view", request=request, actor=request.auth, obj=case, unit=case.commune)
    return _with_etag(request, case)


class EnrolIn(JsonDeclaration):
    commune: GsoCode | None = Field(None, description="GSO code; by default the caller's commune")


@api.post(
    "/cases",
    auth=AUTH,
    response={201: EnrolOut, 200: EnrolOut, **_problem_codes(*AUTHED, 409, 413, 415)},
    tags=["cases"],
    summary="Enrol a case (a laboratory's or hospital's push)",
    openapi_extra={
        "parameters": [
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": False,
                "schema": {"type": "string", "minLength": 1, "maxLength": 100},
                "description": "A retried push with the same key creates one case; the same "
                "key with another body answers 409.",
            }
        ]
    },
)
def case_enrol(request, payload: EnrolIn):
    """201 with the new case; 200 when the person's open case received the declaration
    (result `linked`) or when the push repeats an Idempotency-Key already answered."""
    user: User = request.auth
    key = _idempotency_key(request)
    digest = hashlib.sha256(request.body).hexdigest()
    if key and (done := IdempotentRequest.objects.filter(account=user, key=key).first()):
        return _replay(request, done, digest)
    values = payload.dict()
    commune_code = values.pop("commune") or None
    commune = user.unit
    if commune_code:
        commune = Unit.objects.filter(code=commune_code, level=Unit.Level.COMMUNE).first()
        if commune is None:
            raise ApiError(400, "invalid", E.INVALID, field="commune")
    if commune is None or not user.may_act_for(commune):
        raise PermissionDenied
    form = CaseFieldsForm(_form_data(values))
    if not form.is_valid():
        raise E.from_validation(DjangoValidationError(form.errors.as_data()))
    # The key also goes to the case service, so that two retries racing each other still
    # make one case (cases.models.SubmissionReceipt).
    submission_key = uuid.uuid5(uuid.NAMESPACE_URL, f"api:{user.pk}:{key}") if key else None
    result = case_declare(
        commune=commune,
        values=form.case_values(),
        submission_key=submission_key,
        entered_by=user,
        request=request,
    )
    if not cases_visible_to(user).filter(pk=result.case.pk).exists():
        # Added to the person's open case in another commune: as the enrolment page, say
        # where, and show nothing of a case outside the caller's unit.
        raise ApiError(
            409,
            "linked_elsewhere",
            LINKED_ELSEWHERE % {"commune": result.case.commune.name},
        )
    case = get_case_for_user(user, result.case.pk)
    status = 201 if result.kind == "created" and not result.replayed else 200
    if key:
        try:
            with transaction.atomic():
                IdempotentRequest.objects.create(
                    account=user,
                    key=key,
                    operation="case_enrol",
                    body_digest=digest,
                    status=status,
                    response={"case": case.pk, "result": result.kind},
                )
        except IntegrityError:
            pass  # a twin stored the answer first; both name the same case
    return _with_etag(request, case, status, {"result": result.kind})


LINKED_ELSEWHERE = _(
    "Người này đang có hồ sơ mở tại %(commune)s; thông tin vừa gửi đã được gắn vào hồ sơ đó."
)


def _replay(request, done: IdempotentRequest, digest: str):
    if done.body_digest != digest:
        raise ApiError(409, "idempotency_conflict", E.IDEMPOTENCY_CONFLICT, field="Idempotency-Key")
    case = get_case_for_user(request.auth, done.response["case"])
    return _with_etag(request, case, 200, {"result": done.response["result"]})
