"""Documents of a case: the list, preparing, issuing, revoking, the signed PDF.

Each operation calls the service the document pages call (documents.services), which holds
who may do it (documents.selectors.may_prepare, may_issue, may_revoke: the commune's own
officials, User.may_act_for). A refusal because of the document's or the case's state (a
document issued already, not issued, a case in the wrong status or moved to another
commune) is 409, as an illegal transition of a case."""

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Schema

from api import errors as E
from api.v1.base import AUTH, AUTHED, _problem_codes, api
from cases.selectors import get_case_for_user
from documents.models import Document, Kind
from documents.selectors import documents_of_case, get_document_for_user
from documents.services import (
    document_file_open,
    document_issue,
    document_prepare,
    document_revoke,
)
from documents.views import download_name, pdf_response


class DocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    state: str = Field(description="prepared | issued | revoked")
    number: str = Field(description="e.g. 05/QĐ-UBND; empty while prepared")
    issued_on: date | None
    verification_token: str = Field(
        description="for /documents/verify/{token}; empty while prepared"
    )
    revocation_reason: str = Field(description="why it was revoked; empty otherwise")
    replaces: int | None = Field(description="id of the revoked document this one replaces")


def _document(document: Document) -> dict:
    return {
        "id": document.pk,
        "kind": document.kind,
        "kind_label": str(document.get_kind_display()),
        "state": document.state,
        "number": document.number_label,
        "issued_on": document.issued_on,
        "verification_token": document.verification_token or "",
        "revocation_reason": document.revocation_reason,
        "replaces": document.replaces_id,
    }


# ValidationError codes of documents.services that refuse because of the state of the
# document or its case, not because of what the caller sent.
STATE_CODES = {"not_prepared", "not_issued", "wrong_status", "transferred", "no_decision"}


def _calling(service, **kwargs) -> Document:
    """`service(**kwargs)`, its refusals for the state answered 409 (other refusals keep
    their 400 naming the field)."""
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        error = E.from_validation(exc)
        if error.code in STATE_CODES:
            error.status = 409
        raise error from exc


DOCUMENT_ERRORS = _problem_codes(*AUTHED, 409)


@api.get(
    "/cases/{case_id}/documents",
    auth=AUTH,
    response={200: list[DocumentOut], **_problem_codes(*AUTHED)},
    tags=["documents"],
)
def case_documents(request, case_id: int):
    case = get_case_for_user(request.auth, case_id)
    return [_document(document) for document in documents_of_case(case)]


@api.post(
    "/documents/{document_id}/issue",
    auth=AUTH,
    response={200: DocumentOut, **DOCUMENT_ERRORS},
    tags=["documents"],
    summary="Number, sign and store a prepared document",
)
def document_issue_op(request, document_id: int, confirm_past_period: bool = False):
    """409 for a document issued or revoked already, or a case it may not be issued in.
    `confirm_past_period`: the issuer knows the isolation period of a decision is already
    over and issues it all the same (refused with `period_over` otherwise)."""
    document = get_document_for_user(request.auth, document_id)
    issued = _calling(
        document_issue,
        document=document,
        by=request.auth,
        request=request,
        confirm_past_period=confirm_past_period,
    )
    return _document(issued)


class PrepareIn(Schema):
    kind: Kind = Field(description="the kind of document to prepare")


@api.post(
    "/cases/{case_id}/documents",
    auth=AUTH,
    response={200: DocumentOut, **_problem_codes(*AUTHED, 415)},
    tags=["documents"],
    summary="Prepare (draft) a document of the case, or refresh its draft",
)
def document_prepare_op(request, case_id: int, payload: PrepareIn):
    """The case's prepared document of `kind`, made or refreshed from the case as it is
    now; an issued one is answered as it is (documents.services.document_prepare). After a
    revocation the new draft replaces the revoked document (`replaces`)."""
    case = get_case_for_user(request.auth, case_id)
    document = document_prepare(case=case, kind=payload.kind, by=request.auth)
    return _document(document)


class RevokeIn(Schema):
    reason: str = Field(
        min_length=1,
        max_length=1000,
        pattern=r"\S",
        description="shown to the person and the officials, e.g. «Sai ngày sinh»",
    )
    prepare_replacement: bool = Field(
        True, description="prepare at once the document replacing it, from the case as it is"
    )


@api.post(
    "/documents/{document_id}/revoke",
    auth=AUTH,
    response={200: DocumentOut, **_problem_codes(*AUTHED, 409, 415)},
    tags=["documents"],
    summary="Revoke an issued document with a reason",
)
def document_revoke_op(request, document_id: int, payload: RevokeIn):
    """The revoked document; its verification answers `revoked` from now on. 409 for a
    document not issued (prepared, or revoked already)."""
    document = get_document_for_user(request.auth, document_id)
    revoked = _calling(
        document_revoke,
        document=document,
        by=request.auth,
        reason=payload.reason,
        prepare_replacement=payload.prepare_replacement,
        request=request,
    )
    return _document(revoked)


@api.get(
    "/documents/{document_id}/pdf",
    auth=AUTH,
    response=_problem_codes(*AUTHED),
    tags=["documents"],
    summary="The issued (or revoked) PDF exactly as signed",
    openapi_extra={
        "responses": {
            "200": {
                "description": "the signed PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def document_pdf(request, document_id: int):
    """Audited as `document.download`, as the page."""
    document = get_document_for_user(request.auth, document_id)
    file = document_file_open(document=document, request=request, actor=request.auth)
    return pdf_response(file, filename=download_name(document))
