"""What a document says, composed from the case, the commune's wording and the issuing act.

Official documents are always in Vietnamese, whatever the official's interface language:
the labels below are the law's wording, not interface strings, so they are not translated.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases.choices import IdType, id_document_label
from cases.models import Case, RecoveryDeclaration
from documents import samples
from documents.models import DocumentTemplateSettings, Kind, SignerTitle
from documents.rendering import (
    IsolationDecisionData,
    Issuer,
    Person,
    RecoveryConfirmationData,
    Signatory,
    default_obligations,
    health_station,
    health_station_contact,
    in_running_text,
    isolation_decision_context,
    recovery_confirmation_context,
    render_template,
    vn_date,
)
from units.models import Unit

# Defaults of a province without wording of its own. They must cite the law in force on
# the day of issue and name the units of the unit set the commune belongs to:
# - the Law on Local Government of 16/6/2025 (Law 72/2025/QH15, in force from that day)
#   replaced the Law of 19/6/2015 and its 2019 amendment;
# - in the two-level unit set (from 1/7/2025) the commune stands directly under the province:
#   no district People's Committee or district health centre to send a copy to.
LOCAL_GOVERNMENT_LAW_2025_FROM = date(2025, 6, 16)
LOCAL_GOVERNMENT_LAW_2025 = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"
LEGAL_BASES_2025 = [
    LOCAL_GOVERNMENT_LAW_2025,
    *samples.LEGAL_BASES_2022[1:3],  # the 2007 Law and Decree 101/2010, still in force
]
DEFAULT_LEGAL_BASES = list(samples.LEGAL_BASES_2022)  # three-level units, before 16/6/2025
DEFAULT_DECISION_RECIPIENTS = ["Như Điều 3", "UBND {huyen} (b/c)", "Trung tâm Y tế {huyen}"]
TWO_LEVEL_DECISION_RECIPIENTS = ["Như Điều 3", "UBND {tinh} (b/c)", "Sở Y tế {tinh}"]


def default_legal_bases(on: date) -> list[str]:
    """The default legal bases of a decision issued on `on`."""
    if on >= LOCAL_GOVERNMENT_LAW_2025_FROM:
        return list(LEGAL_BASES_2025)
    return list(DEFAULT_LEGAL_BASES)


SEX = {"male": "Nam", "female": "Nữ"}
TEST_TYPE = {
    "rapid_self": "xét nghiệm nhanh kháng nguyên",
    "rapid_facility": "xét nghiệm nhanh kháng nguyên",
    "rt_pcr": "xét nghiệm RT-PCR",
}
SIGNER_LINES = {
    SignerTitle.CHAIRMAN: "CHỦ TỊCH",
    SignerTitle.VICE_CHAIRMAN: "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
}
DRAFT_NUMBER = "……"
DRAFT_TOKEN = "du-thao"  # noqa: S105 - not a secret: drafts have no token


def default_settings(unit: Unit, on: date | None = None) -> DocumentTemplateSettings:
    """Unsaved wording for `unit` when neither it nor its province has any, for documents
    issued on `on` (today by default): legal bases by date, recipients by unit set."""
    on = on or timezone.localdate()
    two_level = not unit.unit_set.has_districts
    return DocumentTemplateSettings(
        unit=unit,
        legal_bases=default_legal_bases(on),
        decision_recipients=list(
            TWO_LEVEL_DECISION_RECIPIENTS if two_level else DEFAULT_DECISION_RECIPIENTS
        ),
        confirmation_recipients=[],
    )


def place_names(commune: Unit) -> dict[str, str]:
    """Values of the {xa}, {huyen}, {tinh} placeholders, as written inside a sentence."""
    province = commune.province
    district = commune.district or province  # two-level units: no district
    return {
        "xa": in_running_text(commune.name),
        "huyen": in_running_text(district.name) if district else "",
        "tinh": in_running_text(province.name) if province else "",
    }


def fill_places(lines: list[str], commune: Unit) -> list[str]:
    names = place_names(commune)
    filled = []
    for line in lines:
        for key, value in names.items():
            line = line.replace("{" + key + "}", value)
        filled.append(line)
    return filled


def verification_url(token: str) -> str:
    return settings.SITE_URL + reverse("public:verify", args=[token])


def number_label(number: int | None, symbol: str) -> str:
    return f"{number:02d}/{symbol}" if number is not None else f"{DRAFT_NUMBER}/{symbol}"


def issuer_for(commune: Unit, wording: DocumentTemplateSettings) -> Issuer:
    return Issuer(
        code=commune.code,
        name=commune.name,
        place_name=commune.short_name,
        health_station=wording.health_station,
        health_station_phone=wording.health_station_phone,
        has_districts=commune.unit_set.has_districts,
    )


def signatory_for(wording: DocumentTemplateSettings, by) -> Signatory:
    name = wording.signer_name or (getattr(by, "full_name", "") or "")
    return Signatory(full_name=name, deputy=wording.signer_title == SignerTitle.VICE_CHAIRMAN)


def residence(case: Case) -> str:
    """House, village, commune, district, province, as one address line."""
    commune = case.commune
    parts = [case.house_number, case.village, in_running_text(commune.name)]
    if commune.district:
        parts.append(in_running_text(commune.district.name))
    if commune.province:
        parts.append(in_running_text(commune.province.name))
    return ", ".join(part.strip() for part in parts if part and part.strip())


def person_for(case: Case, on: date | None = None) -> Person:
    """The person as the document issued on `on` (today by default) names them; the ID
    paper's name is the one in force that day (cases.choices.id_document_label)."""
    on = on or timezone.localdate()
    guardian = ""
    if case.guardian_name:
        guardian = case.guardian_name
        if case.guardian_id_number:
            guardian += f" (số giấy tờ: {case.guardian_id_number})"
    id_label = id_document_label(case.id_type, on)
    has_id = bool(id_label) and bool(case.id_number)
    return Person(
        full_name=case.full_name,
        birth_date=case.date_of_birth,
        sex=SEX.get(case.sex, ""),
        residence=residence(case),
        id_number=case.id_number if has_id else "",
        id_label=id_label or id_document_label(IdType.CCCD, on),
        guardian=guardian,
        guardian_name=case.guardian_name,
        workplace=case.workplace,
    )


def obligations(issuer: Issuer, case: Case) -> list[str]:
    """Điều 2: the usual obligations, and how long isolation lasts if day 7 is still positive."""
    items = default_obligations(health_station_contact(issuer))
    if case.extended_isolation_end > case.isolation_end:
        items.append(
            f"Nếu kết quả xét nghiệm ngày {vn_date(case.isolation_end)} vẫn dương tính, tiếp tục "
            f"cách ly đến hết ngày {vn_date(case.extended_isolation_end)}"
        )
    return items


def replaced_reference(replaced, kind: str) -> str:
    """How a document names the one it replaces (number, date, issuer), for the sentence
    "… có hiệu lực kể từ ngày ký và thay thế <this>": "Quyết định số 01/QĐ-UBND ngày
    29/11/2026 của Chủ tịch Ủy ban nhân dân xã Tràng Đà". Empty when `replaced` (a revoked
    documents.models.Document) is None or was never issued."""
    if replaced is None or replaced.number is None:
        return ""
    # The decision is the chairman's act; the confirmation the committee's.
    if kind == Kind.ISOLATION_DECISION:
        noun, issuer = "Quyết định", "Chủ tịch Ủy ban nhân dân"
    else:
        noun, issuer = "Giấy xác nhận hoàn thành thời gian cách ly y tế tại nhà", "Ủy ban nhân dân"
    return (
        f"{noun} số {replaced.number_label} ngày {vn_date(replaced.issued_on)} của {issuer} "
        f"{in_running_text(replaced.commune.name)}"
    )


def isolation_decision_data(
    *,
    case: Case,
    wording: DocumentTemplateSettings,
    number: int | None,
    issued_on: date,
    token: str,
    by,
    dev_certificate: bool,
    replaces: str = "",
) -> IsolationDecisionData:
    """The decision for `case`; isolation runs from the positive test to day N of the rules.

    The printed end is the day isolation ends with a negative test (`isolation_end`);
    Điều 2 adds the longer end that applies if that test is still positive.
    """
    issuer = issuer_for(case.commune, wording)
    return IsolationDecisionData(
        number=number_label(number, wording.decision_symbol),
        issued_on=issued_on,
        issuer=issuer,
        signatory=signatory_for(wording, by),
        person=person_for(case, issued_on),
        positive_test_date=case.positive_test_date,
        positive_test_type=TEST_TYPE.get(case.test_type, "xét nghiệm"),
        isolation_start=case.positive_test_date,
        isolation_end=case.isolation_end,
        legal_bases=fill_places(list(wording.legal_bases), case.commune),
        verification_url=verification_url(token),
        obligations=obligations(issuer, case),
        recipients=fill_places(list(wording.decision_recipients), case.commune) or ["Như Điều 3"],
        dev_certificate=dev_certificate,
        replaces=replaces,
    )


def tested_by_label(code: str, issuer: Issuer) -> str:
    station = health_station(issuer)
    return {
        "health_worker": f"nhân viên {station}",
        "self_supervised": "tự xét nghiệm có nhân viên y tế giám sát",
        "self": "tự xét nghiệm",
        "facility": "cơ sở y tế",
    }.get(code, "")


def confirmed_declaration(case: Case) -> RecoveryDeclaration | None:
    return (
        case.recovery_declarations.filter(state=RecoveryDeclaration.State.CONFIRMED)
        .order_by("-decided_at", "-pk")
        .first()
    )


def recovery_confirmation_data(
    *,
    case: Case,
    wording: DocumentTemplateSettings,
    number: int | None,
    issued_on: date,
    token: str,
    by,
    dev_certificate: bool,
    replaces: str = "",
    decision_number: str,
    decision_date: date,
) -> RecoveryConfirmationData:
    """The confirmation for `case`, referring to its isolation decision.

    Isolation ends on the day of the negative test, or at the longest period when the
    commune confirmed without one.
    """
    issuer = issuer_for(case.commune, wording)
    declaration = confirmed_declaration(case)
    if declaration is not None:
        end = max(declaration.negative_test_date, case.isolation_end)
        test_date = declaration.negative_test_date
        test_type = TEST_TYPE.get(declaration.test_type, "xét nghiệm")
        test_by = tested_by_label(declaration.tested_by, issuer)
    else:
        end, test_date, test_type, test_by = case.extended_isolation_end, None, "", ""
    return RecoveryConfirmationData(
        number=number_label(number, wording.confirmation_symbol),
        issued_on=issued_on,
        issuer=issuer,
        signatory=signatory_for(wording, by),
        person=person_for(case, issued_on),
        decision_number=decision_number,
        decision_date=decision_date,
        isolation_start=case.positive_test_date,
        isolation_end=end,
        negative_test_date=test_date,
        negative_test_type=test_type,
        negative_test_by=test_by,
        verification_url=verification_url(token),
        social_insurance_note=wording.social_insurance_note,
        recipients=fill_places(list(wording.confirmation_recipients), case.commune),
        dev_certificate=dev_certificate,
        replaces=replaces,
    )


def snapshot(data: Any) -> dict[str, Any]:
    """The rendering input as JSON (dates as ISO strings), kept with the document."""

    def plain(value):
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, list | tuple):
            return [plain(item) for item in value]
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        return value

    return plain(dataclasses.asdict(data))


def kind_label(kind: str) -> str:
    return {
        Kind.ISOLATION_DECISION: "Quyết định cách ly y tế tại nhà",
        Kind.RECOVERY_CONFIRMATION: "Giấy xác nhận hoàn thành thời gian cách ly y tế tại nhà",
    }[kind]


def render(kind: str, data: Any, *, draft: bool = False) -> bytes:
    """The unsigned PDF of `data`; a draft carries a DỰ THẢO watermark and no number."""
    if kind == Kind.ISOLATION_DECISION:
        template, context = "isolation_decision.typ", isolation_decision_context(data)
    else:
        template, context = "recovery_confirmation.typ", recovery_confirmation_context(data)
    if draft:
        context["draft"] = True
    return render_template(template, context)
