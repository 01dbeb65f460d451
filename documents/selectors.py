"""Reads on documents: always through the case scope of the user, 404 outside it."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Role, User
from cases.models import Case
from cases.selectors import cases_visible_to
from documents.composition import default_settings
from documents.models import Document, DocumentTemplateSettings
from documents.rendering import in_running_text
from units.models import Unit


def wording_for(commune: Unit) -> DocumentTemplateSettings:
    """The wording a commune's documents use: its own, else its province's, else the defaults."""
    rows = {
        row.unit_id: row
        for row in DocumentTemplateSettings.objects.filter(
            unit_id__in=[commune.pk, commune.province_id]
        )
    }
    return rows.get(commune.pk) or rows.get(commune.province_id) or default_settings(commune)


def health_station(commune: Unit) -> tuple[str, str]:
    """The name and phone number of the commune's health station, as the wording gives them
    (the name defaults to "Trạm Y tế" and the commune's name; the phone may be "")."""
    wording = wording_for(commune)
    name = wording.health_station or f"Trạm Y tế {in_running_text(commune.name)}"
    return name, wording.health_station_phone


def settings_units_for(user: User) -> QuerySet[Unit]:
    """Units whose wording the user may edit: the province and its communes for a system
    administrator; his own commune for a commune leader; none for anyone else."""
    if not user.is_authenticated or user.unit_id is None:
        return Unit.objects.none()
    if user.role == Role.SYSTEM_ADMIN:
        return Unit.objects.filter(pk=user.unit_id) | Unit.objects.within(user.unit).communes()
    if user.role == Role.COMMUNE_LEADER:
        return Unit.objects.filter(pk=user.unit_id)
    return Unit.objects.none()


def _acts_for_commune(user: User, document: Document) -> bool:
    """The user acts for the document's commune, which still holds the case (a document of a
    case transferred away is no longer the commune's to issue)."""
    return (
        user.is_authenticated
        and user.may_act_for(document.commune_id)
        and document.case.commune_id == document.commune_id
    )


def may_prepare(user: User, case: Case) -> bool:
    return user.is_authenticated and user.may_act_for(case.commune_id)


def may_issue(user: User, document: Document, wording: DocumentTemplateSettings | None = None):
    """The commune's leader; also its officers where the commune issues in one step."""
    if not _acts_for_commune(user, document):
        return False
    if user.role == Role.COMMUNE_LEADER:
        return True
    wording = wording or wording_for(document.commune)
    return not wording.leader_must_issue


def may_revoke(user: User, document: Document) -> bool:
    """Revoking undoes a signature: the same people who may issue."""
    return may_issue(user, document)


def get_document_for_user(user: User, pk: int) -> Document:
    """The document with `pk` if its case is inside the user's unit; 404 otherwise."""
    document = (
        Document.objects.select_related("case", "case__commune", "commune", "issued_by")
        .filter(pk=pk, case__in=cases_visible_to(user))
        .first()
    )
    if document is None:
        raise Http404
    return document


def documents_of_case(case: Case) -> QuerySet[Document]:
    return (
        Document.objects.filter(case=case)
        .select_related("issued_by", "revoked_by", "replaces")
        .order_by("kind", "prepared_at", "pk")
    )


def pending_documents(user: User, *, kind: str = "") -> QuerySet[Document]:
    """Prepared documents of the user's commune still waiting to be issued, oldest first."""
    if not user.is_authenticated or not user.may_act_for(user.unit_id):
        return Document.objects.none()
    documents = Document.objects.filter(
        commune_id=user.unit_id, state=Document.State.PREPARED, case__commune_id=user.unit_id
    )
    if kind:
        documents = documents.filter(kind=kind)
    return documents.select_related("case").order_by("prepared_at", "pk")


def document_by_token(token: str) -> Document | None:
    """An issued or revoked document by its verification token (never a prepared one)."""
    if not token or len(token) > 32:
        return None
    return (
        Document.objects.select_related("commune")
        .exclude(state=Document.State.PREPARED)
        .filter(verification_token=token)
        .first()
    )


def citizen_documents(case: Case) -> list[Document]:
    """What the person may download: issued documents, and revoked ones marked as such; a
    revoked one whose replacement is being prepared has `replacement_pending` True."""
    documents = list(
        Document.objects.filter(case=case)
        .exclude(state=Document.State.PREPARED)
        .order_by("kind", "issued_at", "pk")
    )
    pending = set(
        Document.objects.filter(case=case, state=Document.State.PREPARED)
        .exclude(replaces=None)
        .values_list("replaces_id", flat=True)
    )
    for document in documents:
        document.replacement_pending = document.pk in pending
    return documents


def issued_documents(case: Case) -> QuerySet[Document]:
    """The case's documents in force (issued, not revoked), oldest first."""
    return Document.objects.issued().filter(case=case).order_by("issued_at", "pk")


def issued_decision(case: Case) -> Document | None:
    """The isolation decision in force for the case, which a confirmation refers to."""
    return (
        Document.objects.filter(case=case, kind="isolation_decision", state=Document.State.ISSUED)
        .order_by("-issued_at")
        .first()
    )


def outreach_communes_for(user: User, *, within: Unit | None = None) -> QuerySet[Unit]:
    """Communes whose outreach kit the user may make: every commune of the province for a
    system administrator (or of one district of it, `within`), his own for a commune
    leader, none for anyone else. A `within` outside the user's unit gives none."""
    if not user.is_authenticated or user.unit_id is None:
        return Unit.objects.none()
    if user.role == Role.SYSTEM_ADMIN:
        scope = within if within is not None else user.unit
        if not user.unit.contains(scope):
            return Unit.objects.none()
        return Unit.objects.within(scope).communes().order_by("code")
    if user.role == Role.COMMUNE_LEADER:
        return Unit.objects.filter(pk=user.unit_id)
    return Unit.objects.none()
