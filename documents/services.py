"""Writes on documents: prepare, issue (number, render, sign, store), revoke, wording.

Issuing is all or nothing: the number, the row, the case event, the audit entry and the
notification commit together, and a failure anywhere rolls the number back and deletes
the file already written. An issued document is never changed again except to be revoked.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Role, User
from audit.services import audit_log
from cases.choices import OPEN_STATUSES, EventKind, Status
from cases.lifecycle import case_event_record
from cases.models import Case, CaseEvent
from cases.services import case_correct, case_notify
from core.qr import qr_svg
from documents import composition
from documents.files import file_name, file_store, files_discard
from documents.models import Document, DocumentTemplateSettings, Kind
from documents.numbering import number_take
from documents.rendering import render_aside
from documents.selectors import issued_decision, may_issue, may_prepare, may_revoke, wording_for
from documents.signing import CommuneSigner, SigningSession, signer_for
from units.models import Unit

logger = logging.getLogger(__name__)

# Which case statuses a document of each kind may be issued in.
ISSUABLE_IN = {
    Kind.ISOLATION_DECISION: {Status.ACCEPTED, Status.RECOVERY_REQUESTED, Status.RECOVERED},
    Kind.RECOVERY_CONFIRMATION: {Status.RECOVERED},
}
NOTIFICATION = {
    Kind.ISOLATION_DECISION: "decision_issued",
    Kind.RECOVERY_CONFIRMATION: "recovery_confirmed",
}


# Preparing ---------------------------------------------------------------------------------


def preview_data(document: Document, case: Case):
    """What the document would say if issued today (no number, no token, and no signer's
    name unless the wording sets one: who will sign is not known yet)."""
    wording = wording_for(case.commune)
    common = {
        "case": case,
        "wording": wording,
        "number": None,
        "issued_on": timezone.localdate(),
        "token": composition.DRAFT_TOKEN,
        "by": None,
        "dev_certificate": False,
        "replaces": composition.replaced_reference(document.replaces, document.kind),
    }
    if document.kind == Kind.ISOLATION_DECISION:
        return composition.isolation_decision_data(**common)
    decision = issued_decision(case)
    return composition.recovery_confirmation_data(
        **common,
        decision_number=decision.number_label if decision else composition.DRAFT_NUMBER,
        decision_date=decision.issued_on if decision else timezone.localdate(),
    )


def document_prepare(
    *,
    case: Case,
    kind: str,
    by: User | None,
    replaces: Document | None = None,
    record_event: bool = True,
) -> Document:
    """The case's prepared document of `kind`, created or refreshed; an issued one as it is.

    Preparing as the automatic consequence of accepting a case or confirming recovery
    writes no event of its own (`record_event=False`): that step's event says it already.
    """
    if by is not None and not may_prepare(by, case):
        raise PermissionDenied
    with transaction.atomic():
        document = (
            Document.objects.select_for_update(of=("self",))
            .filter(case=case, kind=kind)
            .exclude(state=Document.State.REVOKED)
            .first()
        )
        if document is not None and not document.is_prepared:
            return document
        if document is None:
            # A document prepared after a revocation replaces the revoked one.
            replaces = replaces or (
                Document.objects.filter(case=case, kind=kind, state=Document.State.REVOKED)
                .order_by("-revoked_at")
                .first()
            )
            document = Document(case=case, kind=kind, prepared_by=by, replaces=replaces)
        document.commune = case.commune
        document.data = composition.snapshot(preview_data(document, case))
        created = document.pk is None
        document.save()
        if created and record_event:
            case_event_record(
                case,
                kind=EventKind.DOCUMENT_PREPARED,
                by=by,
                from_status=case.status,
                reason=composition.kind_label(kind),
                data={"document_id": document.pk, "kind": kind},
                public=False,
            )
    return document


# The document each step of the lifecycle calls for (accepting a case prepares the isolation
# decision, confirming recovery the recovery confirmation). The demo's synthetic cases
# prepare theirs by the same table.
PREPARED_AFTER: dict[str, str] = {
    EventKind.ACCEPTED: Kind.ISOLATION_DECISION,
    EventKind.RECOVERY_CONFIRMED: Kind.RECOVERY_CONFIRMATION,
}


def documents_after_transition(*, case: Case, event: CaseEvent, by: User | None) -> None:
    """The after-transition hook of cases.lifecycle (registered in DocumentsConfig.ready),
    in the step's transaction:

    - a transfer takes the case's documents away from the commune that gave it up
      (documents_leave_commune);
    - a case reaching a final status discards the drafts that can no longer be issued in it
      (ISSUABLE_IN): a rejected or closed case leaves nothing in the leader's queue;
    - the step's document is prepared (PREPARED_AFTER), writing no event of its own: the
      step's event says it already."""
    if event.kind == EventKind.TRANSFERRED:
        documents_leave_commune(case=case, event=event, by=by)
    if case.status not in OPEN_STATUSES:
        drafts = Document.objects.filter(case=case, state=Document.State.PREPARED)
        for kind, statuses in ISSUABLE_IN.items():
            if case.status not in statuses:
                drafts.filter(kind=kind).delete()
    kind = PREPARED_AFTER.get(event.kind)
    if kind is not None:
        document_prepare(case=case, kind=kind, by=by, record_event=False)


def _may_revoke_in(user: User | None, document: Document) -> bool:
    """documents.selectors.may_revoke for the commune that issued `document`, whether or not
    it still holds the case (asked while the case is leaving it)."""
    if user is None or not user.may_act_for(document.commune_id):
        return False
    return user.role == Role.COMMUNE_LEADER or not wording_for(document.commune).leader_must_issue


def documents_leave_commune(*, case: Case, event: CaseEvent, by: User | None) -> None:
    """A case transferred to another commune takes no document of the old one along.

    The rule (issue 14, item 15): a decision binds the person only while its issuing
    commune is responsible for them. The commune giving the case up revokes its issued
    documents in the same step, with the transfer as the reason, so that no decision
    stays in force that its issuer can no longer act on and the new commune cannot revoke;
    the new commune, on accepting, prepares its own decision, which states the one it
    replaces (document_prepare finds the revoked one). Revoking undoes a signature, so the
    transfer of a case with an issued document is refused (ValidationError, nothing
    changed) to whoever may not revoke it (may_revoke: the leader in two-step communes).
    Drafts of the old commune are discarded: it can no longer issue them."""
    from_commune_id = event.data.get("from_commune_id")
    mine = Document.objects.select_for_update(of=("self",)).filter(
        case=case, commune_id=from_commune_id
    )
    mine.filter(state=Document.State.PREPARED).delete()
    # Kept in Vietnamese whatever the official's language: the citizen reads it with the
    # revoked document (an official record, like the documents' own wording).
    reason = f"Hồ sơ chuyển sang {event.data.get('to_commune', '')}: {event.reason}"
    for document in mine.filter(state=Document.State.ISSUED):
        if not _may_revoke_in(by, document):
            raise ValidationError(
                _(
                    "Hồ sơ %(code)s có %(kind)s số %(number)s đã ban hành. Chuyển xã sẽ thu "
                    "hồi văn bản này, nên chỉ người có quyền thu hồi (lãnh đạo xã) mới chuyển "
                    "được hồ sơ."
                )
                % {
                    "code": case.tracking_code,
                    "kind": document.get_kind_display().lower(),
                    "number": document.number_label,
                },
                code="issued_document",
            )
        _revoke(document, by=by, reason=reason)


def document_preview_pdf(*, document: Document) -> bytes:
    """A watermarked draft of what issuing would print today, without number or QR token."""
    data = preview_data(document, document.case)
    return composition.render(document.kind, data, draft=True)


# Issuing -----------------------------------------------------------------------------------


def period_over(case: Case, on: date) -> bool:
    """Whether the whole isolation period of `case`, with its possible extension, ended
    before `on`: a decision issued then orders an isolation that is already over."""
    return case.extended_isolation_end < on


def period_over_message(case: Case) -> str:
    return _(
        "Thời gian cách ly của hồ sơ %(code)s (từ ngày %(start)s đến hết ngày %(end)s) đã "
        "qua: quyết định ban hành hôm nay sẽ quyết định cách ly cho một thời gian đã kết "
        "thúc. Chỉ ban hành khi đã xác nhận điều đó."
    ) % {
        "code": case.tracking_code,
        "start": case.positive_test_date.strftime("%d/%m/%Y"),
        "end": case.extended_isolation_end.strftime("%d/%m/%Y"),
    }


def _check_issuable(
    document: Document, case: Case, by: User, wording, *, confirm_past_period: bool = False
) -> Document | None:
    """Refuse what may not be issued; the decision a confirmation refers to, if any.

    A decision for a period already over needs `confirm_past_period` (issue 14 item 3):
    it is issued only when the issuer has been told so and confirmed it."""
    if not document.is_prepared:
        raise ValidationError(
            _("Văn bản này đã được ban hành hoặc thu hồi; không ban hành lại được."),
            code="not_prepared",
        )
    if not may_issue(by, document, wording):
        raise PermissionDenied
    if case.commune_id != document.commune_id:
        raise ValidationError(
            _("Hồ sơ %(code)s đã chuyển sang xã khác; xã đó sẽ ban hành văn bản.")
            % {"code": case.tracking_code},
            code="transferred",
        )
    if case.status not in ISSUABLE_IN[document.kind]:
        raise ValidationError(
            _("Hồ sơ %(code)s đang ở trạng thái «%(status)s»: chưa thể ban hành %(kind)s.")
            % {
                "code": case.tracking_code,
                "status": Status(case.status).label,
                "kind": document.get_kind_display().lower(),
            },
            code="wrong_status",
        )
    if document.kind != Kind.RECOVERY_CONFIRMATION:
        if period_over(case, timezone.localdate()) and not confirm_past_period:
            raise ValidationError(period_over_message(case), code="period_over")
        return None
    decision = issued_decision(case)
    if decision is None:
        raise ValidationError(
            _(
                "Hồ sơ %(code)s chưa có quyết định cách ly đã ban hành; giấy xác nhận hoàn thành cách ly phải dẫn "
                "số quyết định, vì vậy cần ban hành quyết định trước."
            )
            % {"code": case.tracking_code},
            code="no_decision",
        )
    return decision


# Said when a draft was discarded between the page that showed it and the click on it.
DRAFT_DISCARDED = _lazy(
    "Dự thảo đã được hủy vì hồ sơ đã kết thúc hoặc đã chuyển sang xã khác; không ban hành."
)


def _lock_case_of(document: Document) -> None:
    """Lock the document's case before the document: the order case services take (a
    transfer locks the case, then its documents), so that issuing or revoking while the
    case is transferred queues up instead of deadlocking.

    Nothing to send on a database without row locks (SQLite): there the transaction's
    BEGIN IMMEDIATE already holds the write lock every other writer queues on, and the
    statement would be a plain read, one more per issued document."""
    if connection.features.has_select_for_update:
        Case.objects.select_for_update().filter(pk=document.case_id).values_list("pk").first()


def commune_signer(commune: Unit, wording: DocumentTemplateSettings | None = None) -> CommuneSigner:
    """The signer the commune chose (its wording's `signer_kind`; `wording` when the caller
    has read it already), ready to open; a ValidationError (code no_certificate) naming
    what the server lacks when it is not configured."""
    wording = wording or wording_for(commune)
    try:
        return signer_for(commune.code, wording.signer_kind)
    except ImproperlyConfigured as exc:
        raise ValidationError(str(exc), code="no_certificate") from exc


def document_issue(
    *,
    document: Document,
    by: User,
    request=None,
    pin: str = "",
    otp: str = "",
    session: SigningSession | None = None,
    confirm_past_period: bool = False,
) -> Document:
    """Number, render, sign and store a prepared document, then tell the citizen.

    ValidationError `period_over` for a decision whose period ended unless
    `confirm_past_period`; `no_decision` for a confirmation before its decision.
    Signs in `session` (a batch opens one for all its documents) or else opens the
    commune's signer with `pin`/`otp` for this one signature (a PIN is needed by the token
    and remote signers; it is used, never stored). The next number is taken in the same
    transaction that stores the document, so a failure in rendering, signing or storing
    gives the number back: no gap, no repeat. A wrong PIN is refused (SigningRefused, a
    ValidationError) before any number is taken.
    """
    if session is None:
        # Read once: it names the signer and then the document's wording.
        wording = wording_for(document.commune)
        signer = commune_signer(document.commune, wording)
        with signer.session(pin=pin, otp=otp) as opened:
            return _issue_locked(document, by, opened, wording, request, confirm_past_period)
    return _issue_locked(document, by, session, None, request, confirm_past_period)


# What issuing writes on the document row: the other columns keep what preparing wrote.
ISSUED_FIELDS = [
    "state",
    "year",
    "number",
    "symbol",
    "issued_on",
    "issued_at",
    "issued_by",
    "signer_name",
    "signer_title",
    "data",
    "file",
    "sha256",
    "verification_token",
    "signed_with_dev_certificate",
]


def _issue_locked(
    document: Document,
    by: User,
    session: SigningSession,
    wording: DocumentTemplateSettings | None,
    request,
    confirm_past_period: bool,
) -> Document:
    """document_issue in its transaction: lock the case, then the document, and issue it."""
    token = secrets.token_urlsafe(16)
    qr_svg(composition.verification_url(token))  # drawn now, outside the lock
    written: list[str] = []
    try:
        with transaction.atomic():
            _lock_case_of(document)
            # The case's commune with everything the wording and the text read from it
            # (district, province, unit set), in the statement that locks the document.
            document = (
                Document.objects.select_for_update(of=("self",))
                .select_related(
                    "case__commune__district",
                    "case__commune__province",
                    "case__commune__unit_set",
                )
                .filter(pk=document.pk)
                .first()
            )
            if document is None:
                raise ValidationError(DRAFT_DISCARDED, code="discarded")
            if document.commune_id == document.case.commune_id:
                document.commune = document.case.commune
            wording = wording or wording_for(document.commune)
            return _issue(
                document, by, token, session, wording, written, request, confirm_past_period
            )
    except BaseException:
        # The row is gone with the rollback; the file must go too.
        files_discard(written)
        raise


def _issue(
    document, by, token, session: SigningSession, wording, written, request, confirm_past_period
) -> Document:
    case = document.case
    decision = _check_issuable(document, case, by, wording, confirm_past_period=confirm_past_period)
    now = timezone.now()
    today = timezone.localdate(now)
    number = number_take(commune=document.commune, kind=document.kind, year=today.year)
    is_dev = session.is_dev
    data = _issue_data(document, case, wording, number, today, token, by, is_dev, decision)
    # Typst lays the document out on a thread of its own while this one writes the rows
    # that need only the number (the case event, the audit entry, the citizen's message):
    # the compile lets go of the GIL, so their round trips cost no time of their own. All
    # of it commits or rolls back together, as before.
    rendering = render_aside(composition.render, document.kind, data)
    document.state = Document.State.ISSUED
    document.year, document.number = today.year, number
    document.symbol = wording.symbol_for(document.kind)
    document.issued_on, document.issued_at, document.issued_by = today, now, by
    case_event_record(
        case,
        kind=EventKind.DOCUMENT_ISSUED,
        by=by,
        from_status=case.status,
        message=f"{document.get_kind_display()} số {document.number_label}",
        data={"document_id": document.pk, "kind": document.kind, "number": document.number_label},
        public=True,
    )
    audit_log(
        action="document.issue",
        request=request,
        actor=by,
        obj=document,
        unit=document.commune,
        detail={"number": document.number_label, "case": case.tracking_code, "dev": is_dev},
    )
    case_notify(case, NOTIFICATION[document.kind], document_number=document.number_label)

    signed = session.sign(rendering.result(), location=document.commune.name)
    name = file_name(
        commune_code=document.commune.code,
        kind=document.kind,
        year=today.year,
        number=number,
        salt=secrets.token_hex(4),
    )
    document.file.name = file_store(name=name, content=signed, written=written)
    document.signer_name = data.signatory.full_name
    document.signer_title = composition.SIGNER_LINES[wording.signer_title]
    document.data = composition.snapshot(data)
    document.sha256 = hashlib.sha256(signed).hexdigest()
    document.verification_token = token
    document.signed_with_dev_certificate = is_dev
    document.save(update_fields=ISSUED_FIELDS)
    return document


def _issue_data(document, case, wording, number, today: date, token, by, is_dev, decision):
    common = {
        "case": case,
        "wording": wording,
        "number": number,
        "issued_on": today,
        "token": token,
        "by": by,
        "dev_certificate": is_dev,
        "replaces": composition.replaced_reference(document.replaces, document.kind),
    }
    if document.kind == Kind.ISOLATION_DECISION:
        return composition.isolation_decision_data(**common)
    return composition.recovery_confirmation_data(
        **common, decision_number=decision.number_label, decision_date=decision.issued_on
    )


def documents_issue_in_order(
    *, case: Case, by: User, confirm_past_period: bool = False, request=None
) -> list[Document]:
    """Issue what a recovered case without an issued decision lacks, in the order the law
    needs: the isolation decision (prepared first if none is live), then the recovery
    confirmation that cites its number. Each is issued in its own transaction, so a refusal
    of the second leaves the first issued (which is right on its own). Returns the issued
    documents; raises ValidationError as document_issue does (`period_over` unless
    `confirm_past_period`: a recovered case's period is usually over)."""
    issued = []
    if issued_decision(case) is None:
        decision = document_prepare(case=case, kind=Kind.ISOLATION_DECISION, by=by)
        issued.append(
            document_issue(
                document=decision,
                by=by,
                request=request,
                confirm_past_period=confirm_past_period,
            )
        )
    confirmation = document_prepare(case=case, kind=Kind.RECOVERY_CONFIRMATION, by=by)
    if confirmation.is_prepared:
        issued.append(document_issue(document=confirmation, by=by, request=request))
    return issued


# Revoking ----------------------------------------------------------------------------------


def document_revoke(
    *,
    document: Document,
    by: User,
    reason: str,
    prepare_replacement: bool = True,
    request=None,
) -> Document:
    """Revoke an issued document with a reason; optionally prepare its replacement."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Vui lòng ghi lý do thu hồi văn bản.")})
    with transaction.atomic():
        _lock_case_of(document)
        document = (
            Document.objects.select_for_update(of=("self",))
            .select_related("case")
            .get(pk=document.pk)
        )
        if not document.is_issued:
            raise ValidationError(
                _("Chỉ thu hồi được văn bản đã ban hành và chưa bị thu hồi."), code="not_issued"
            )
        if not may_revoke(by, document):
            raise PermissionDenied
        _revoke(document, by=by, reason=reason, request=request)
        if prepare_replacement:
            document_prepare(case=document.case, kind=document.kind, by=by, replaces=document)
    return document


def _revoke(document: Document, *, by: User | None, reason: str, request=None) -> None:
    """Mark an issued, locked document revoked, with its case event and audit entry."""
    document.state = Document.State.REVOKED
    document.revoked_at, document.revoked_by = timezone.now(), by
    document.revocation_reason = reason
    document.save(update_fields=["state", "revoked_at", "revoked_by", "revocation_reason"])
    case = document.case
    case_event_record(
        case,
        kind=EventKind.DOCUMENT_REVOKED,
        by=by,
        from_status=case.status,
        # The revocation form tells the official the citizen reads this reason.
        message=f"{document.get_kind_display()} số {document.number_label}: {reason}",
        data={"document_id": document.pk, "number": document.number_label},
        public=True,
    )
    audit_log(
        action="document.revoke",
        request=request,
        actor=by,
        obj=document,
        unit=document.commune,
        detail={"number": document.number_label, "reason": reason},
    )


def documents_purge_drafts(*, case_ids: list[int]) -> None:
    """The retention hook of cases.retention (registered in DocumentsConfig.ready): drafts
    of purged cases go with their personal data (issued documents are official records)."""
    Document.objects.filter(case_id__in=case_ids, state=Document.State.PREPARED).delete()


# Corrections -------------------------------------------------------------------------------

# What a document states about the case, by key of its rendering data (composition): a
# correction that changes one of these makes an issued document say something untrue.
STATED_KEYS = (
    "person",
    "positive_test_date",
    "positive_test_type",
    "isolation_start",
    "isolation_end",
    "obligations",
    "negative_test_date",
    "negative_test_type",
    "negative_test_by",
)


class DocumentsAction:
    """What an official chooses for the issued documents a correction makes untrue."""

    REPLACE = "replace"  # revoke them now and prepare replacements stating the new values
    LATER = "later"  # correct now; the leader revokes and replaces them afterwards


def _stated(document: Document, case: Case) -> dict[str, Any]:
    """What `document` would state about `case` as it is now (STATED_KEYS of its data)."""
    now = composition.snapshot(preview_data(document, case))
    return {key: now[key] for key in STATED_KEYS if key in now}


def documents_stating_old_values(case: Case) -> list[Document]:
    """The case's issued documents that state something about the case that is no longer
    so (a name, a date, an address corrected since they were issued), oldest first."""
    return [
        document
        for document in Document.objects.issued().filter(case=case).order_by("issued_at", "pk")
        if any(document.data.get(key) != value for key, value in _stated(document, case).items())
    ]


def _documents_label(documents: list[Document]) -> str:
    return "; ".join(
        f"{d.get_kind_display()} số {d.number_label} ngày {d.issued_on:%d/%m/%Y}" for d in documents
    )


def case_correct_with_documents(
    *,
    case: Case,
    by: User,
    changes: dict[str, Any],
    reason: str,
    seen: dict[str, Any] | None = None,
    documents_action: str = "",
    request=None,
) -> tuple[Case, list[Document]]:
    """cases.services.case_correct, and in the same transaction what becomes of the issued
    documents the correction makes untrue (issue 14, item 2): with `documents_action`
    REPLACE each is revoked (the correction as the reason) and its replacement prepared,
    which states the number and date of the one it replaces; with LATER they stay for the
    leader to replace. A correction that makes one untrue without a choice, or a REPLACE by
    someone who may not revoke (may_revoke), is refused (ValidationError on
    `documents_action`, naming the documents) and changes nothing.

    Returns the corrected case and the documents the correction made untrue."""
    with transaction.atomic():
        issued = list(Document.objects.issued().filter(case=case))
        before = {d.pk: _stated(d, case) for d in issued}
        case = case_correct(
            case=case, by=by, changes=changes, reason=reason, seen=seen, request=request
        )
        # Those whose statement this correction changes and that no longer say what is so.
        touched = [
            d for d in documents_stating_old_values(case) if _stated(d, case) != before.get(d.pk)
        ]
        if not touched:
            return case, []
        label = _documents_label(touched)
        if documents_action not in (DocumentsAction.REPLACE, DocumentsAction.LATER):
            raise ValidationError(
                {
                    "documents_action": _(
                        "Thông tin sửa có trong văn bản đã ban hành: %(documents)s. Vui lòng "
                        "chọn thu hồi và dự thảo văn bản thay thế, hoặc để lãnh đạo xã thu hồi "
                        "sau."
                    )
                    % {"documents": label}
                },
                code="documents_affected",
            )
        if documents_action == DocumentsAction.REPLACE:
            for document in touched:
                if not may_revoke(by, document):
                    raise ValidationError(
                        {
                            "documents_action": _(
                                "Chỉ lãnh đạo xã thu hồi được %(documents)s. Chọn «để lãnh "
                                "đạo xã thu hồi sau»."
                            )
                            % {"documents": label}
                        },
                        code="may_not_revoke",
                    )
                document_revoke(
                    document=document,
                    by=by,
                    reason=f"Sửa thông tin hồ sơ: {reason.strip()}",
                    prepare_replacement=True,
                    request=request,
                )
    return case, touched


# Wording -----------------------------------------------------------------------------------

WORDING_FIELDS = (
    "legal_bases",
    "decision_recipients",
    "confirmation_recipients",
    "signer_title",
    "signer_name",
    "health_station",
    "health_station_phone",
    "decision_symbol",
    "confirmation_symbol",
    "leader_must_issue",
    "social_insurance_note",
    "signer_kind",
)


def document_settings_save(
    *, unit: Unit, by: User, values: dict[str, Any], request=None
) -> DocumentTemplateSettings:
    """Store the wording of a province or commune; the change is written to the audit log."""
    from documents.selectors import settings_units_for

    if not settings_units_for(by).filter(pk=unit.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        row = DocumentTemplateSettings.objects.select_for_update().filter(unit=unit).first()
        if row is None:
            # A commune's first own wording starts as a copy of what it used until now.
            effective = wording_for(unit)
            row = DocumentTemplateSettings(
                unit=unit, **{f: getattr(effective, f) for f in WORDING_FIELDS}
            )
        before = {f: getattr(row, f) for f in WORDING_FIELDS}
        for field in WORDING_FIELDS:
            if field in values:
                setattr(row, field, values[field])
        row.updated_by = by
        row.full_clean()
        row.save()
        changes = {f: getattr(row, f) for f in WORDING_FIELDS if getattr(row, f) != before[f]}
        audit_log(
            action="document.settings_change",
            request=request,
            actor=by,
            obj=row,
            unit=unit,
            detail={"changed": sorted(changes)},
        )
    return row


# Downloading ---------------------------------------------------------------------------------


def document_file_open(
    *,
    document: Document,
    request,
    action: str = "document.download",
    actor: User | None = None,
    detail: dict[str, Any] | None = None,
):
    """The stored PDF of an issued (or revoked) document, exactly as signed, opened for
    reading; the download is audited as `action` (an official's by default, a citizen's
    as `document.citizen_download`). Raises Http404 for a draft or a file that is gone."""
    if document.is_prepared or not document.file:
        raise Http404
    try:
        file = document.file.storage.open(document.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    audit_log(
        action=action,
        request=request,
        actor=actor,
        obj=document,
        unit=document.commune,
        detail=detail
        if detail is not None
        else {"number": document.number_label, "state": document.state},
    )
    return file
