"""Issuing many prepared documents in the background, as a bulk job, and downloading what
a batch issued as one file to print.

The job runner (jobs.runner) issues one document per item, each in its own
transaction, and records a failure with its reason without stopping the others.
"""

import tempfile
import zipfile
from typing import IO

import pypdf
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from documents.models import Document, Kind
from documents.selectors import may_issue, wording_for
from documents.services import document_file_open, document_issue
from jobs import runner
from jobs.models import BulkJob
from jobs.tasks import bulk_job_enqueue

KIND = "issue_documents"
MAX_BATCH = 5_000


def _issue_item(job: BulkJob, item: dict) -> str:
    document = Document.objects.select_related("commune", "case").get(
        pk=item["document_id"], commune_id=job.commune_id
    )
    document_issue(
        document=document,
        by=job.created_by,
        confirm_past_period=job.params.get("confirm_past_period", False),
    )
    return "issued"


def register() -> None:
    runner.register(
        runner.JobKind(
            code=KIND,
            label=gettext_lazy("Ban hành văn bản hàng loạt"),
            run_item=_issue_item,
            item_ref=lambda job, item: item.get("ref", str(item.get("document_id"))),
            outcome_labels={"issued": gettext_lazy("Đã ban hành")},
        )
    )


def documents_batch_issue(
    *, by: User, documents: list[Document], confirm_past_period: bool = False
) -> BulkJob:
    """Queue the issuing of `documents` (prepared, of the user's commune) in the background;
    decisions whose isolation period is over are issued only with `confirm_past_period`
    (each is refused with its reason otherwise)."""
    if not documents:
        raise ValidationError(_("Chưa chọn văn bản nào để ban hành."))
    if len(documents) > MAX_BATCH:
        raise ValidationError(
            _("Mỗi lần ban hành tối đa %(max)s văn bản.") % {"max": f"{MAX_BATCH:,}"}
        )
    wording = wording_for(documents[0].commune)
    if any(not may_issue(by, document, wording) for document in documents):
        raise PermissionDenied
    items = [
        {
            "document_id": document.pk,
            "ref": f"{document.case.tracking_code} – {document.get_kind_display()}",
        }
        for document in documents
    ]
    with transaction.atomic():
        job = BulkJob.objects.create(
            kind=KIND,
            state=BulkJob.State.QUEUED,
            commune_id=by.unit_id,
            created_by=by,
            confirmed_at=timezone.now(),
            items=items,
            total=len(items),
            params={
                "document_ids": [item["document_id"] for item in items],
                "confirm_past_period": confirm_past_period,
            },
        )
        transaction.on_commit(lambda: bulk_job_enqueue(job.pk))
    return job


# Downloading a batch ------------------------------------------------------------------------

# Spooled in memory up to this size, then on disk: a batch of 5,000 documents is ~300 MB.
SPOOL_BYTES = 16 * 1024 * 1024


def batch_issued_documents(job: BulkJob) -> list[Document]:
    """The documents `job` issued that are still in force, in the batch's order (a document
    revoked since is left out: it must not be printed and handed out)."""
    ids = job.params.get("document_ids", [])
    found = Document.objects.issued().filter(pk__in=ids, commune_id=job.commune_id)
    by_id = {document.pk: document for document in found.select_related("commune", "case")}
    return [by_id[pk] for pk in ids if pk in by_id]


def batch_file_name(document: Document) -> str:
    prefix = "quyet-dinh" if document.kind == Kind.ISOLATION_DECISION else "giay-xac-nhan"
    return f"{prefix}-{document.number:02d}-{document.year}-{document.case.tracking_code}.pdf"


def batch_download(*, job: BulkJob, by: User, request, merged: bool) -> IO[bytes]:
    """One file of what `job` issued, rewound and ready to stream: all PDFs merged into one
    to print (`merged`; the merge is not signed, each document's signed PDF stays the
    record), or a ZIP of the signed PDFs as issued. Every document is audited as
    `document.batch_download`. ValidationError when the batch issued nothing in force."""
    documents = batch_issued_documents(job)
    if not documents:
        raise ValidationError(_("Đợt này chưa ban hành văn bản nào còn hiệu lực để tải về."))
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned open
    detail = lambda document: {"number": document.number_label, "batch": job.pk}  # noqa: E731
    if merged:
        writer = pypdf.PdfWriter()
        for document in documents:
            with document_file_open(
                document=document,
                request=request,
                action="document.batch_download",
                actor=by,
                detail=detail(document),
            ) as file:
                writer.append(file)
        writer.write(out)
    else:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
            for document in documents:
                with document_file_open(
                    document=document,
                    request=request,
                    action="document.batch_download",
                    actor=by,
                    detail=detail(document),
                ) as file:
                    archive.writestr(batch_file_name(document), file.read())
    out.seek(0)
    return out
