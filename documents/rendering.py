"""Render the commune's official documents (Decree 30/2020/NĐ-CP format) to PDF with Typst.

The input data contract is the frozen dataclasses below; the issuing service fills them.
Python does all wording and formatting (dates, uppercase names, punctuation of lists) and
hands Typst one JSON value through `sys.inputs`; the templates in `documents/typst/` only
lay it out. Data never becomes markup, so a name such as `#eval("...")` prints literally.

Official documents are always in Vietnamese: their fixed wording is the law's, not a UI
string, so it is not translated.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import typst
from django.utils.translation import gettext as _

from core.qr import qr_svg
from core.text import in_running_text  # noqa: F401 (documents' callers import it here)

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = PACKAGE_DIR / "typst"
FONT_DIR = PACKAGE_DIR / "fonts"

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
COMMITTEE = "ỦY BAN NHÂN DÂN"
# Space between two lines' boxes (see documents/typst/common.typ for the boxes).
LEADING_EM = 0.1
DEV_MARK = "BẢN THỬ NGHIỆM – chữ ký số thử nghiệm, không có giá trị pháp lý"


# --- Input data contract -------------------------------------------------------------------


@dataclass(frozen=True)
class Issuer:
    """The commune People's Committee issuing the document."""

    code: str  # GSO commune code, e.g. "02209"; also selects the signing certificate
    name: str  # unit name as in the unit list, e.g. "Xã Tràng Đà", "Thị trấn Sơn Dương"
    place_name: str  # place in the date line (Decree 30: the commune's name), e.g. "Tràng Đà"
    health_station: str = ""  # defaults to "Trạm Y tế xã Tràng Đà"
    # Printed wherever the person is told whom to call, e.g. "0207 3822 115"; "" prints none.
    health_station_phone: str = ""
    # Three-level units (before 1/7/2025) or two-level (the commune under the province),
    # which name the commune's offices differently.
    has_districts: bool = True


@dataclass(frozen=True)
class Signatory:
    """The leader who signs: the Chairman, or a Vice-Chairman signing on his behalf (KT.)."""

    full_name: str
    deputy: bool = False


@dataclass(frozen=True)
class Person:
    """The person the document is about, as the documents print them."""

    full_name: str
    birth_date: date
    sex: str  # printed as given: "Nam" or "Nữ"
    residence: str  # full address, e.g. "Thôn Cầu Trôi, xã Tràng Đà, thành phố Tuyên Quang, ..."
    id_number: str = ""  # omitted from the document when empty (a child without papers)
    id_label: str = "Số định danh cá nhân"  # by date: cases.choices.id_document_label
    guardian: str = ""  # for a child: guardian's name, relation and ID, printed as given
    workplace: str = ""  # printed on the recovery confirmation (sick-leave pay) when given
    # The guardian's (or, for an adult, the declaring relative's) name alone, as the
    # articles name who is responsible; defaults to `guardian` as given.
    guardian_name: str = ""


@dataclass(frozen=True)
class IsolationDecisionData:
    """Everything printed on a Quyết định cách ly y tế tại nhà."""

    number: str  # "05/QĐ-UBND"
    issued_on: date
    issuer: Issuer
    signatory: Signatory
    person: Person
    positive_test_date: date
    positive_test_type: str  # "xét nghiệm nhanh kháng nguyên", "xét nghiệm RT-PCR"
    isolation_start: date
    isolation_end: date  # last day of isolation, inclusive ("đến hết ngày")
    legal_bases: Sequence[str]  # each "Căn cứ ..." without the closing ";"
    verification_url: str  # encoded in the QR code and printed under it
    proposer: str = ""  # "Xét đề nghị của <proposer>"; defaults to the health station
    obligations: Sequence[str] = ()  # Điều 2 items; defaults to default_obligations()
    executors: Sequence[str] = ()  # Điều 3, who carries it out (the person is added)
    recipients: Sequence[str] = ("Như Điều 3",)  # "Lưu: VT." is always added last
    dev_certificate: bool = False  # print the "not legally valid" test mark
    replaces: str = ""  # "Quyết định số … ngày … của Chủ tịch …" it replaces, or empty


@dataclass(frozen=True)
class RecoveryConfirmationData:
    """Everything printed on a Giấy xác nhận hoàn thành thời gian cách ly y tế tại nhà."""

    number: str  # "12/GXN-UBND"
    issued_on: date
    issuer: Issuer
    signatory: Signatory
    person: Person
    decision_number: str  # the isolation decision it follows, "05/QĐ-UBND"
    decision_date: date
    isolation_start: date
    isolation_end: date
    # None when recovery is confirmed at the end of the longest period without a negative
    # test (still positive on day 7: the rules end isolation on day 10 or 14 untested).
    negative_test_date: date | None
    negative_test_type: str  # "xét nghiệm nhanh kháng nguyên"
    negative_test_by: str  # "nhân viên Trạm Y tế xã Tràng Đà", "tự xét nghiệm có giám sát ..."
    verification_url: str
    social_insurance_note: bool = False  # add the sick-leave (BHXH) purpose note
    recipients: Sequence[str] = ()  # defaults to the person and the health station
    dev_certificate: bool = False
    replaces: str = ""  # "Giấy xác nhận số … ngày … của …" it replaces, or empty


# --- Wording and formatting ----------------------------------------------------------------


def vn_date_line(place_short_name: str, day: date) -> str:
    """The place-and-date line of Decree 30: days below 10 and months 1 and 2 take a leading 0."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place_short_name}, ngày {day.day:02d} tháng {month} năm {day.year}"


def vn_date(day: date) -> str:
    """A date in the body of a document: 02/04/2022."""
    return day.strftime("%d/%m/%Y")


# Age of majority (Civil Code 2015, art. 20): below it a person acts through a guardian
# (art. 21), so the guardian, not the child, is the one a decision makes responsible.
ADULT_AGE = 18


def age_on(birth_date: date, day: date) -> int:
    """Full years of age on `day` (a birthday counts from the day itself)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_minor(person: Person, on: date) -> bool:
    return age_on(person.birth_date, on) < ADULT_AGE


def form_of_address(person: Person, on: date) -> str:
    """How an official document addresses `person` on `on`: "ông" or "bà" for an adult
    whose sex is known; "" for a child (no form of address of an administrative text fits
    a child) and for an adult of unknown sex (guessing "ông/bà" reads as a blank form)."""
    if is_minor(person, on):
        return ""
    return {"nam": "ông", "nữ": "bà"}.get(_nfc(person.sex).strip().lower(), "")


def addressed(person: Person, on: date, *, capital: bool = False) -> str:
    """The person's name with the form of address that fits: "bà Nguyễn Thị Hoa",
    "Lê Minh Khôi" (a child); `capital` at the start of a line."""
    address = form_of_address(person, on)
    if not address:
        return person.full_name
    return f"{address.capitalize() if capital else address} {person.full_name}"


def responsible_guardian(person: Person, on: date) -> str:
    """The guardian a child's documents make responsible ("" for an adult, who answers for
    himself even when a relative declared for him)."""
    if not is_minor(person, on):
        return ""
    return person.guardian_name or person.guardian


def health_station(issuer: Issuer) -> str:
    return issuer.health_station or f"Trạm Y tế {in_running_text(issuer.name)}"


def health_station_contact(issuer: Issuer) -> str:
    """The station with its phone where one is set: "Trạm Y tế xã Tràng Đà (điện thoại
    0207 3822 115)"."""
    station = health_station(issuer)
    phone = issuer.health_station_phone.strip()
    return f"{station} (điện thoại {phone})" if phone else station


def default_obligations(station: str) -> list[str]:
    """Điều 2 when the rules give no wording: stay home, self-monitor, danger signs, test.
    `station` is whom to call, with its phone (health_station_contact)."""
    return [
        "Ở tại nơi cách ly, hạn chế tiếp xúc với người cùng nhà, đeo khẩu trang, thực hiện 5K",
        "Tự theo dõi sức khỏe hằng ngày (nhiệt độ, nhịp thở, SpO2 nếu có)",
        f"Báo ngay cho {station} hoặc gọi 115 khi khó thở, thở nhanh, đau tức ngực, tím tái, "
        "lơ mơ hoặc SpO2 ≤ 96%",
        "Hết thời gian cách ly, xét nghiệm nhanh kháng nguyên (nhân viên y tế thực hiện hoặc "
        "giám sát) và khai báo kết quả để được xác nhận hoàn thành cách ly",
    ]


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise ValueError(
            _("Ngày kết thúc cách ly (%(end)s) trước ngày bắt đầu (%(start)s).")
            % {"end": vn_date(end), "start": vn_date(start)}
        )


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _punctuated(items: Sequence[str], last: str = ".") -> list[str]:
    """List items ending in ";" and the last in `last`, whatever the caller ended them with."""
    cleaned = [item.strip().rstrip(";.,") for item in items if item.strip()]
    return [item + (";" if i < len(cleaned) - 1 else last) for i, item in enumerate(cleaned)]


def _row(label: str, value: str, *, strong: bool = False, after: str = "") -> dict[str, Any]:
    return {"label": label, "value": value, "strong": strong, "after": after}


def _end_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        row["end"] = ";"
    rows[-1]["end"] = "."
    return rows


def _person_rows(person: Person, *, on: date, with_workplace: bool = False) -> list[dict[str, Any]]:
    rows = [
        _row(
            "Họ và tên",
            person.full_name,
            strong=True,
            after=f"; ngày sinh: {vn_date(person.birth_date)}; giới tính: {person.sex}",
        ),
    ]
    if person.id_number:
        rows.append(_row(person.id_label, person.id_number))
    if person.guardian:
        # A relative who declared for an adult is not his guardian (Civil Code art. 47).
        label = "Người giám hộ" if is_minor(person, on) else "Người thân khai báo thay"
        rows.append(_row(label, person.guardian))
    rows.append(_row("Nơi cư trú", person.residence))
    if with_workplace and person.workplace:
        rows.append(_row("Nơi làm việc", person.workplace))
    return rows


def _signature_lines(signatory: Signatory, *, on_behalf_of_committee: bool) -> list[str]:
    lines = ["TM. ỦY BAN NHÂN DÂN"] if on_behalf_of_committee else []
    lines += ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"] if signatory.deputy else ["CHỦ TỊCH"]
    return lines


def _common(data, *, kind: str, subject: str, roomy: bool) -> dict[str, Any]:
    issuer = data.issuer
    return {
        # One line spacing for both documents and every block of them (Decree 30: the same
        # throughout): line boxes of 1.12 em (common.typ) plus 0.2 em, about 1.15 lines of
        # a word processor, so stacked marks never touch the line above. The decision keeps
        # 13 pt to stay on one page; the shorter confirmation can use 14 pt.
        "body_size": 14 if roomy else 13,
        "leading_em": LEADING_EM,
        "spacing_pt": 6,
        "title": f"{kind.capitalize()} số {data.number}",
        "kind": kind.upper(),
        "subject": subject,
        "number": data.number,
        "issued_on": {
            "year": data.issued_on.year,
            "month": data.issued_on.month,
            "day": data.issued_on.day,
        },
        "issuer_name": f"Ủy ban nhân dân {in_running_text(issuer.name)}",
        "issuer_line1": COMMITTEE,
        "issuer_line2": issuer.name.upper(),
        "national_name": NATIONAL_NAME,
        "national_motto": NATIONAL_MOTTO,
        "date_line": vn_date_line(issuer.place_name, data.issued_on),
        "signatory_name": data.signatory.full_name,
        "verification_url": data.verification_url,
        "qr_svg": qr_svg(data.verification_url),
        "dev_certificate": bool(data.dev_certificate),
        "dev_mark": DEV_MARK,
    }


def _replacing(replaces: str) -> str:
    return f" và thay thế {replaces}" if replaces else ""


def isolation_decision_context(data: IsolationDecisionData) -> dict[str, Any]:
    """The JSON value the decision template lays out (all wording already composed)."""
    _check_period(data.isolation_start, data.isolation_end)
    issuer, person = data.issuer, data.person
    station = health_station(issuer)
    addressee = addressed(person, data.issued_on)
    guardian = responsible_guardian(person, data.issued_on)
    if guardian:
        duty = (
            f"Trong thời gian cách ly, người giám hộ {guardian} có trách nhiệm bảo đảm "
            f"{person.full_name} thực hiện các yêu cầu sau, báo tin và khai báo thay:"
        )
        answerable = f"người giám hộ {guardian}"
    else:
        duty = f"Trong thời gian cách ly, {addressee} có trách nhiệm:"
        answerable = addressee
    # The commune's offices: Decree 92/2009 titles before 1/7/2025, then the office and the
    # culture and society division of two-level communes (Decree 150/2025).
    offices = (
        ["Công chức Văn phòng - Thống kê"]
        if issuer.has_districts
        else [
            "Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
            "Trưởng phòng Văn hóa - Xã hội",
        ]
    )
    executors = list(data.executors) or [
        *offices,
        station,
        "Trưởng thôn (tổ dân phố) nơi cư trú",
        "các cơ quan, đơn vị có liên quan",
    ]
    rows = _person_rows(person, on=data.issued_on) + [
        _row(
            "Lý do cách ly",
            f"mắc COVID-19 ({data.positive_test_type} dương tính ngày "
            f"{vn_date(data.positive_test_date)})",
        ),
        _row(
            "Thời gian cách ly",
            f"từ ngày {vn_date(data.isolation_start)} đến hết ngày {vn_date(data.isolation_end)}",
        ),
    ]
    context = _common(
        data,
        kind="quyết định",
        subject="Về việc cách ly y tế tại nhà đối với người mắc COVID-19",
        roomy=False,
    )
    context |= {
        "authority": f"CHỦ TỊCH {COMMITTEE} {issuer.name.upper()}",
        "legal_bases": _punctuated(list(data.legal_bases), last=";")
        + [f"Xét đề nghị của {data.proposer or station}."],
        "article1_intro": "Cách ly y tế tại nhà, tại nơi cư trú, đối với người sau đây:",
        "person_rows": _end_rows(rows),
        "article2_intro": duty,
        "obligations": _punctuated(
            list(data.obligations) or default_obligations(health_station_contact(issuer))
        ),
        "article3": (
            f"Quyết định này có hiệu lực kể từ ngày ký{_replacing(data.replaces)}. "
            f"{', '.join(executors)} và {answerable} "
            "chịu trách nhiệm thi hành Quyết định này./."
        ),
        "recipients": _punctuated(list(data.recipients), last=";") + ["Lưu: VT."],
        "signature_lines": _signature_lines(data.signatory, on_behalf_of_committee=False),
    }
    return _normalised(context)


def recovery_confirmation_context(data: RecoveryConfirmationData) -> dict[str, Any]:
    """The JSON value the recovery confirmation template lays out."""
    _check_period(data.isolation_start, data.isolation_end)
    issuer, person = data.issuer, data.person
    station = health_station(issuer)
    running = in_running_text(issuer.name)
    notes = []
    if data.social_insurance_note:
        notes.append(
            "Giấy xác nhận này được cấp để người lao động làm thủ tục hưởng chế độ ốm đau "
            "theo quy định của pháp luật về bảo hiểm xã hội."
        )
    notes.append(
        "Sau khi khỏi bệnh, nếu còn hoặc xuất hiện ho kéo dài, khó thở, đau tức ngực, mệt mỏi, "
        f"liên hệ {health_station_contact(issuer)} hoặc gọi 115."
    )
    guardian = responsible_guardian(person, data.issued_on)
    addressee = addressed(person, data.issued_on, capital=True)
    recipients = list(data.recipients) or [
        f"{addressee} (qua người giám hộ {guardian})" if guardian else addressee,
        station,
    ]
    context = _common(
        data,
        kind="giấy xác nhận",
        subject="Hoàn thành thời gian cách ly y tế tại nhà",
        roomy=True,
    )
    context |= {
        "confirming_body": f"{COMMITTEE} {issuer.name.upper()} XÁC NHẬN:",
        "person_rows": _end_rows(_person_rows(person, on=data.issued_on, with_workplace=True)),
        "statements": [
            f"Đã thực hiện cách ly y tế tại nhà theo Quyết định số {data.decision_number} "
            f"ngày {vn_date(data.decision_date)} của Chủ tịch Ủy ban nhân dân {running}; "
            f"thời gian cách ly từ ngày {vn_date(data.isolation_start)} đến hết ngày "
            f"{vn_date(data.isolation_end)}.",
            _negative_test_statement(data),
        ],
        "conclusion": (
            "Đã hoàn thành thời gian cách ly y tế tại nhà và khỏi bệnh COVID-19 theo quy định."
        ),
        "notes": notes,
        "replaces": (
            f"Giấy xác nhận này có hiệu lực kể từ ngày ký{_replacing(data.replaces)}."
            if data.replaces
            else ""
        ),
        "recipients": _punctuated(recipients, last=";") + ["Lưu: VT."],
        "signature_lines": _signature_lines(data.signatory, on_behalf_of_committee=True),
    }
    return _normalised(context)


def _negative_test_statement(data: RecoveryConfirmationData) -> str:
    if data.negative_test_date is None:
        return (
            "Đã cách ly đủ thời gian tối đa theo hướng dẫn của Bộ Y tế đối với trường hợp "
            "chưa có kết quả xét nghiệm âm tính."
        )
    return (
        f"Kết quả xét nghiệm ngày {vn_date(data.negative_test_date)}: âm tính với "
        f"SARS-CoV-2 ({data.negative_test_type}; người thực hiện: {data.negative_test_by})."
    )


def _normalised(value):
    """NFC everywhere, so that copy-paste and search match what a keyboard types."""
    if isinstance(value, str):
        return _nfc(value)
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    if isinstance(value, dict):
        return {key: _normalised(item) for key, item in value.items()}
    return value


# --- Typst ---------------------------------------------------------------------------------

# A typst.Compiler refuses concurrent use ("Already borrowed") but releases the GIL while
# compiling, so each thread gets its own; creating one costs about 4 ms.
_local = threading.local()


def _compiler() -> typst.Compiler:
    compiler = getattr(_local, "compiler", None)
    if compiler is None:
        fonts = typst.Fonts(
            include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(FONT_DIR)]
        )
        compiler = typst.Compiler(root=str(TEMPLATE_DIR), font_paths=fonts)
        _local.compiler = compiler
    return compiler


# Threads that compile while their caller goes on (render_aside): Typst lets go of the GIL,
# so the caller's database round trips and the compile overlap. A few, each with its own
# compiler, for the issuers of one process (a batch thread and the requests); made on first
# use in each process, never inherited across fork() (the threads would not be).
RENDER_THREADS = 4
_pool: tuple[int, ThreadPoolExecutor] | None = None
_pool_lock = threading.Lock()


def render_aside(render: Callable[..., bytes], *args: Any) -> Future:
    """Start `render(*args)` on a rendering thread; the Future answers its PDF bytes (or
    raises what it raised). The caller must not share Django state with it: `render` gets
    plain data only."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid():
            _pool = (os.getpid(), ThreadPoolExecutor(RENDER_THREADS, thread_name_prefix="typst"))
        executor = _pool[1]
    return executor.submit(render, *args)


def render_template(template: str, context: dict[str, Any]) -> bytes:
    """Compile `documents/typst/<template>` with `context` as its only input; PDF bytes."""
    pdf, warnings = _compiler().compile_with_warnings(
        input=str(TEMPLATE_DIR / template),
        format="pdf",
        sys_inputs={"data": json.dumps(context, ensure_ascii=False)},
    )
    for warning in warnings:
        logger.warning("Typst warning in %s: %s", template, warning.message)
    return pdf


def render_isolation_decision(data: IsolationDecisionData) -> bytes:
    """The isolation decision as an unsigned PDF."""
    return render_template("isolation_decision.typ", isolation_decision_context(data))


def render_recovery_confirmation(data: RecoveryConfirmationData) -> bytes:
    """The recovery confirmation as an unsigned PDF."""
    return render_template("recovery_confirmation.typ", recovery_confirmation_context(data))
