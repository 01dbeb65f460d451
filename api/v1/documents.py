"""Documents of a case: the list, issuing, the signed PDF."""

from datetime import date

from ninja import Field, Schema

from api.v1.base import AUTH, AUTHED, _problem_codes, api
from cases.selectors import get_case_for_user
from documents.models import Document
from documents.selectors import documents_of_case, get_document_for_user
from documents.services import document_file_open, document_issue
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


def _document(document: Document) -> dict:
    return {
        "id": document.pk,
        "kind": document.kind,
        "kind_label": str(document.get_kind_display()),
        "state": document.state,
        "number": document.number_label,
        "issued_on": document.issued_on,
        "verification_token": document.verification_token or "",
    }


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
    response={200: DocumentOut, **_problem_codes(*AUTHED)},
    tags=["documents"],
    summary="Number, sign and store a prepared document",
)
def document_issue_op(request, document_id: int):
    document = get_document_for_user(request.auth, document_id)
    return _document(document_issue(document=document, by=request.auth, request=request))


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
