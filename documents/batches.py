"""Issuing many prepared documents in the background, as a bulk job.

The job runner (jobs.runner) issues one document per item, each in its own
transaction, and records a failure with its reason without stopping the others.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from documents.models import Document
from documents.selectors import may_issue, wording_for
from documents.services import DRAFT_DISCARDED, document_issue
from jobs import runner
from jobs.models import BulkJob
from jobs.tasks import bulk_job_enqueue

KIND = "issue_documents"
MAX_BATCH = 5_000


def _issue_item(job: BulkJob, item: dict) -> str:
    document = (
        Document.objects.select_related("commune", "case")
        .filter(pk=item["document_id"], commune_id=job.commune_id)
        .first()
    )
    if document is None:
        # Discarded since the batch was queued: its case ended or left the commune.
        raise ValidationError(DRAFT_DISCARDED, code="discarded")
    document_issue(document=document, by=job.created_by)
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


def documents_batch_issue(*, by: User, documents: list[Document]) -> BulkJob:
    """Queue the issuing of `documents` (prepared, of the user's commune) in the background."""
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
            params={"document_ids": [item["document_id"] for item in items]},
        )
        transaction.on_commit(lambda: bulk_job_enqueue(job.pk))
    return job
