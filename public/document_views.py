"""Pages for anyone about documents: the verification page behind each QR code, and the
citizen's download of their own documents."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.access import public
from core.client import client_address
from core.ratelimit import hit, refusal
from documents.models import Document
from documents.selectors import document_by_token
from documents.services import document_file_open
from documents.views import download_name, pdf_response
from public.session import citizen_case_allowed

# Lookups per client address: a person checking a pile of papers is fine; a script
# walking tokens is not.
VERIFY_LIMIT = ("document-verify", 60, 600)


@public
@require_GET
def verify(request, token: str):
    """Whether a document is valid or revoked, with its number, date, commune and the
    holder's masked name; never the ID number, phone or address."""
    scope, limit, window = VERIFY_LIMIT
    if not hit(scope, client_address(request) or "", limit=limit, window=window):
        return refusal(request, "documents/verify_limited.html", window=window)
    document = document_by_token(token)
    if document is None:
        raise Http404
    replacement = (
        document.replaced_by.exclude(state=Document.State.PREPARED).first()
        if document.is_revoked
        else None
    )
    context = {
        "document": document,
        "replacement": replacement,
    }
    response = render(request, "documents/verify.html", context)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@public
@require_GET
def citizen_download(request, token: str):
    """The person's own issued document, for a browser that proved access to the case."""
    document = document_by_token(token)
    if (
        document is None
        or not document.is_issued
        or not citizen_case_allowed(request.session, document.case_id)
    ):
        raise Http404
    file = document_file_open(
        document=document,
        request=request,
        action="document.citizen_download",
        detail={"number": document.number_label},
    )
    return pdf_response(file, filename=download_name(document))
