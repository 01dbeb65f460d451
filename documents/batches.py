"""Issuing many prepared documents in the background, as a bulk job, and downloading what
a batch issued as one file to print.

A batch is first a preview (BulkJob state PREVIEW): the leader sees each document and
confirms, typing the PIN when the commune signs with a token or remotely. The job runner
(jobs.runner) then issues one document per item, each in its own transaction, and records
a failure with its reason without stopping the others.

Where the batch runs depends on the signer. A file signer needs no secret: the batch goes
to the task worker. A token or remote signer needs the PIN, which must never be written
to the database, a task queue or a log: the signing session is opened in the request
(so a wrong PIN is answered on the page, before any number is taken) and the batch runs
on a thread of the same web process, holding the open session in memory only
(`_SESSIONS`); progress is the job's, as for any batch. If that process dies, the job is
resumed by jobs.recovery on the worker, which has no session: its remaining documents
fail with a message asking to issue them again with the PIN. Nothing is lost: they stay
prepared.
"""

import contextlib
import logging
import tempfile
import threading
import zipfile
from typing import IO

import pypdf
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from documents.models import Document, Kind
from documents.selectors import may_issue, wording_for
from documents.services import (
    DRAFT_DISCARDED,
    commune_signer,
    document_file_open,
    document_issue,
)
from documents.signing import SigningSession
from jobs import runner
from jobs.models import BulkJob
from jobs.tasks import bulk_job_enqueue

logger = logging.getLogger(__name__)

KIND = "issue_documents"
MAX_BATCH = 5_000
# Open signing sessions of the batches running in this process, by job id: memory only.
_SESSIONS: dict[int, SigningSession] = {}


def _issue_item(job: BulkJob, item: dict) -> str:
    # document_issue reads the case again under its lock: only the commune is needed here.
    document = (
        Document.objects.select_related("commune")
        .filter(pk=item["document_id"], commune_id=job.commune_id)
        .first()
    )
    if document is None:
        # Discarded since the batch was queued: its case ended or left the commune.
        raise ValidationError(DRAFT_DISCARDED, code="discarded")
    session = _SESSIONS.get(job.pk)
    if session is None and job.params.get("needs_pin"):
        raise ValidationError(
            _(
                "Phiên ký số của lần ban hành này đã kết thúc (máy chủ khởi động lại); văn bản "
                "vẫn chờ ban hành: ban hành lại và nhập mã PIN."
            ),
            code="session_gone",
        )
    document_issue(
        document=document,
        by=job.created_by,
        session=session,
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


def documents_batch_prepare(
    *, by: User, documents: list[Document], confirm_past_period: bool = False
) -> BulkJob:
    """A batch to confirm (state PREVIEW) of `documents` (prepared, of the user's commune),
    in the order they will be numbered in. Nothing is signed until documents_batch_confirm.
    Decisions whose isolation period is over are issued only with `confirm_past_period`
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
    return BulkJob.objects.create(
        kind=KIND,
        state=BulkJob.State.PREVIEW,
        commune_id=by.unit_id,
        created_by=by,
        items=items,
        total=len(items),
        params={
            "document_ids": [item["document_id"] for item in items],
            "confirm_past_period": confirm_past_period,
        },
    )


def batch_documents(job: BulkJob) -> list[Document]:
    """The documents of a batch still prepared, in the batch's order."""
    ids = job.params.get("document_ids", [])
    found = Document.objects.select_related("commune", "case", "case__commune").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found and found[pk].is_prepared]


def documents_batch_confirm(*, job: BulkJob, by: User, pin: str = "", otp: str = "") -> BulkJob:
    """Sign the previewed batch: in the background for a file signer; for a token or remote
    signer, open the session with `pin`/`otp` now (SigningRefused when refused, nothing
    signed) and run the batch on a thread of this process holding it (see the module's
    docstring). Raises ValidationError when the batch is no longer a preview."""
    with transaction.atomic():
        job = BulkJob.objects.select_for_update().get(pk=job.pk)
        if job.state != BulkJob.State.PREVIEW:
            raise ValidationError(
                _("Lần ban hành này đã được xác nhận hoặc đã hủy."), code="not_preview"
            )
        if job.created_by_id != by.pk:
            raise PermissionDenied
    documents = batch_documents(job)
    if not documents:
        raise ValidationError(_("Các văn bản này không còn chờ ban hành."), code="none_left")
    wording = wording_for(documents[0].commune)
    if any(not may_issue(by, document, wording) for document in documents):
        raise PermissionDenied
    signer = commune_signer(documents[0].commune, wording)
    stack = contextlib.ExitStack()
    session = None
    if signer.needs_pin:
        session = stack.enter_context(signer.session(pin=pin, otp=otp, count=len(job.items)))
    with transaction.atomic():
        confirmed = BulkJob.objects.filter(pk=job.pk, state=BulkJob.State.PREVIEW).update(
            state=BulkJob.State.QUEUED,
            confirmed_at=timezone.now(),
            params={**job.params, "needs_pin": signer.needs_pin},
        )
        if not confirmed:  # confirmed twice at once: the other request runs it
            stack.close()
            raise ValidationError(
                _("Lần ban hành này đã được xác nhận hoặc đã hủy."), code="not_preview"
            )
        if session is None:
            transaction.on_commit(lambda: bulk_job_enqueue(job.pk))
        else:
            transaction.on_commit(lambda: _run_in_process(job.pk, session, stack))
    job.refresh_from_db()
    return job


def documents_batch_cancel(*, job: BulkJob, by: User) -> BulkJob:
    """Drop a batch still in preview; its documents stay prepared."""
    if job.created_by_id != by.pk:
        raise PermissionDenied
    BulkJob.objects.filter(pk=job.pk, state=BulkJob.State.PREVIEW).update(
        state=BulkJob.State.CANCELLED, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def _runs_inline() -> bool:
    """Tasks run at once (the test settings' immediate backend): run the batch at once too."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return backend.endswith("ImmediateBackend")


def _run_in_process(job_id: int, session: SigningSession, stack: contextlib.ExitStack):
    """Run the batch with its open session, on a thread unless tasks run inline; the
    session (and the PIN it holds) is closed and forgotten when the batch ends."""

    def run(own_thread: bool):
        _SESSIONS[job_id] = session
        try:
            runner.job_run(job_id=job_id)
        except Exception:
            logger.exception("Batch %s signing in process stopped", job_id)
        finally:
            _SESSIONS.pop(job_id, None)
            stack.close()
            if own_thread:
                connections.close_all()

    if _runs_inline():
        run(own_thread=False)
    else:
        threading.Thread(target=run, args=(True,), name=f"batch-{job_id}", daemon=True).start()


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

    def opened():
        """Each document's signed file, opened through document_file_open (audited)."""
        for document in documents:
            with document_file_open(
                document=document,
                request=request,
                action="document.batch_download",
                actor=by,
                detail={"number": document.number_label, "batch": job.pk},
            ) as file:
                yield document, file

    if merged:
        writer = pypdf.PdfWriter()
        for _document, file in opened():
            writer.append(file)
        writer.write(out)
    else:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
            for document, file in opened():
                archive.writestr(batch_file_name(document), file.read())
    out.seek(0)
    return out
