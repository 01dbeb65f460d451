"""Issue 14: documents that must be right in law.

The wording follows the person (item 1), the layout follows Decree 30/2020 and the default
wording fits the unit set and the date (item 5), and the documents print the health
station's phone where the person is told whom to call (item 22).
"""

import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import Role, User
from cases.choices import Status
from cases.testing import make_case
from core.tests.clock import set_local_clock
from documents import samples
from documents.composition import default_settings
from documents.models import DocumentTemplateSettings
from documents.rendering import render_isolation_decision, render_recovery_confirmation
from documents.selectors import wording_for
from documents.services import document_issue, document_preview_pdf, document_settings_save
from documents.tests.conftest import confirmation_of, decision_of, recover
from documents.tests.pdf import page_count, pdf_text
from units.testing import ensure_units, unit

pytestmark = pytest.mark.django_db


def read(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def years_ago(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def child_case(commune, officer, **overrides):
    """A girl of three without papers, declared by her father."""
    values = {
        "full_name": "Lê Bảo Ngọc",
        "sex": "female",
        "date_of_birth": years_ago(3),
        "id_type": "none",
        "id_number": "",
        "guardian_name": "Lê Văn Hùng",
        "guardian_id_number": "008085001122",
        "guardian_phone": "0912345678",
        "positive_test_date": timezone.localdate() - timedelta(days=8),
    }
    return make_case(commune, status=Status.ACCEPTED, by=officer, **(values | overrides))


# Item 1: the wording follows the person ----------------------------------------------------


def test_a_childs_decision_makes_the_guardian_responsible_and_calls_the_child_nothing(
    commune_a, officer_a, leader_a
):
    case = child_case(commune_a, officer_a)
    text = pdf_text(read(document_issue(document=decision_of(case), by=leader_a)))
    assert "Họ và tên: Lê Bảo Ngọc;" in text
    assert "Người giám hộ: Lê Văn Hùng (số giấy tờ: 008085001122);" in text
    assert (
        "Trong thời gian cách ly, người giám hộ Lê Văn Hùng có trách nhiệm bảo đảm Lê Bảo Ngọc "
        "thực hiện" in text
    )
    assert "và người giám hộ Lê Văn Hùng chịu trách nhiệm thi hành Quyết định này" in text
    assert "bà Lê Bảo Ngọc" not in text and "ông/bà" not in text


def test_a_childs_confirmation_is_sent_through_the_guardian(commune_a, officer_a, leader_a):
    case = child_case(commune_a, officer_a)
    document_issue(document=decision_of(case), by=leader_a)
    recover(case, officer_a)
    text = pdf_text(read(document_issue(document=confirmation_of(case), by=leader_a)))
    assert "Người giám hộ: Lê Văn Hùng" in text
    assert "- Lê Bảo Ngọc (qua người giám hộ Lê Văn Hùng);" in text
    assert "Bà Lê Bảo Ngọc" not in text


def test_an_adult_declared_by_a_relative_answers_for_himself(commune_a, officer_a, leader_a):
    case = make_case(
        commune_a,
        status=Status.ACCEPTED,
        by=officer_a,
        full_name="Hoàng Văn Tư",
        sex="male",
        date_of_birth=date(1941, 2, 3),
        guardian_name="Hoàng Thị Hạnh",
        guardian_phone="0987654321",
    )
    text = pdf_text(read(document_issue(document=decision_of(case), by=leader_a)))
    assert "Người thân khai báo thay: Hoàng Thị Hạnh;" in text
    assert "Người giám hộ" not in text
    assert "Trong thời gian cách ly, ông Hoàng Văn Tư có trách nhiệm:" in text
    assert "và ông Hoàng Văn Tư chịu trách nhiệm thi hành" in text


def test_the_form_of_address_follows_age_on_the_day_of_issue():
    seventeen = samples.person(sex="Nam", birth_date=date(2005, 4, 3), guardian="Lê Văn Hùng")
    eighteen = samples.person(sex="Nam", birth_date=date(2004, 4, 2))
    young = pdf_text(render_isolation_decision(samples.isolation_decision(person=seventeen)))
    adult = pdf_text(render_isolation_decision(samples.isolation_decision(person=eighteen)))
    assert "người giám hộ Lê Văn Hùng có trách nhiệm" in young
    assert "ông Nguyễn Thị Hồng Nhung" not in young
    assert "Trong thời gian cách ly, ông Nguyễn Thị Hồng Nhung có trách nhiệm:" in adult


# Item 5: Decree 30/2020 layout ---------------------------------------------------------------


def long_decision(obligations: int) -> bytes:
    items = [f"Yêu cầu số {i} về việc cách ly tại nhà" for i in range(obligations)]
    return render_isolation_decision(samples.isolation_decision(obligations=items))


def page_texts(pdf: bytes) -> list[str]:
    import io

    import pypdf

    return [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_pages_are_numbered_at_the_top_from_page_two_and_no_footer():
    pages = page_texts(long_decision(30))
    assert len(pages) == 2
    assert not re.match(r"^1\b", pages[0]) and "Trang" not in " ".join(pages)
    assert pages[1].startswith("2 ")


@pytest.mark.parametrize("obligations", range(6, 26, 2))
def test_the_signing_block_is_never_alone_on_a_page(obligations):
    pages = page_texts(long_decision(obligations))
    signed = [page for page in pages if "Nguyễn Văn Thành" in page]
    assert len(signed) == 1
    assert "Điều 3." in signed[0] and "chịu trách nhiệm thi hành" in signed[0]


def word_lines(pdf: bytes, tmp_path: Path) -> list[tuple[float, float, float, float]]:
    """(xMin, yMin, xMax, yMax) in points of each text line of page 1, as poppler sees them."""
    pdftotext = shutil.which("pdftotext")
    if not pdftotext:
        pytest.skip("pdftotext (poppler-utils) is needed")
    source = tmp_path / "d.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(  # noqa: S603 - a fixed tool on our own temporary file
        [pdftotext, "-bbox-layout", "-f", "1", "-l", "1", source, "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pattern = r'<line xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)"'
    return [tuple(float(v) for v in match) for match in re.findall(pattern, out)]


@pytest.mark.parametrize("which", ["decision", "confirmation"])
def test_one_line_spacing_throughout_and_marks_never_touch_the_line_above(which, tmp_path):
    pdf = (
        render_isolation_decision(samples.ISOLATION_DECISION)
        if which == "decision"
        else render_recovery_confirmation(samples.RECOVERY_CONFIRMATION)
    )
    lines = word_lines(pdf, tmp_path)
    ratios = set()
    for (x0, top0, x1, bottom0), (x2, top1, x3, bottom1) in zip(lines, lines[1:], strict=False):
        same_column = min(x1, x3) > max(x0, x2)
        height = bottom0 - top0  # poppler's box of the line: the font's ascent, 0.89 em
        if not same_column or abs((bottom1 - top1) - height) > 0.5 or top1 <= top0:
            continue
        pitch = top1 - top0
        if pitch > 1.6 * height:
            continue  # a new paragraph or block
        # The tallest stacked marks (Ẵ, Ổ: 0.89 em) clear the deepest descenders of the
        # line above (g, ỹ: 0.216 em).
        assert pitch >= 1.107 * height / 0.89, (which, top0, top1, height)
        ratios.add(round(pitch / height, 2))
    # One spacing, whatever the block: letterhead, body, recipients, signing block (the
    # regular, bold and italic faces' ascents differ by a few hundredths).
    assert ratios and max(ratios) - min(ratios) <= 0.04, sorted(ratios)


def test_right_margin_is_between_15_and_20_mm(tmp_path):
    lines = word_lines(render_isolation_decision(samples.ISOLATION_DECISION), tmp_path)
    right = 595.28 - max(x1 for _x0, _y0, x1, _y1 in lines)
    assert 15 * 72 / 25.4 - 0.5 <= right <= 20 * 72 / 25.4


def test_the_confirmation_fits_one_page():
    assert page_count(render_recovery_confirmation(samples.RECOVERY_CONFIRMATION)) == 1


def test_each_kind_has_its_own_number_symbol_set_per_commune(
    commune_a, officer_a, leader_a, recovered_case
):
    assert (
        wording_for(commune_a).decision_symbol,
        wording_for(commune_a).confirmation_symbol,
    ) == ("QĐ-UBND", "GXN-UBND")
    document_settings_save(
        unit=commune_a, by=leader_a, values={"confirmation_symbol": "XN-UBND"}, request=None
    )
    text = pdf_text(read(document_issue(document=confirmation_of(recovered_case), by=leader_a)))
    assert "Số: 01/XN-UBND" in text and "Quyết định số 01/QĐ-UBND" in text


def test_default_wording_of_a_two_level_commune_today(units):
    ensure_units("gso-2025")
    commune = unit("00691", "gso-2025")  # Phường Hà Giang 2, directly under the province
    officer = User.objects.create(
        username="officer.hg2", role=Role.COMMUNE_OFFICER, unit=commune, full_name="Cán bộ"
    )
    case = make_case(commune, status=Status.ACCEPTED, by=officer)
    text = pdf_text(document_preview_pdf(document=decision_of(case)))
    assert "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;" in text
    assert "năm 2015" not in text and "1020/UBND-THCBKS" not in text
    assert "UBND tỉnh Tuyên Quang (b/c);" in text and "Sở Y tế tỉnh Tuyên Quang" in text
    assert "huyện" not in text.lower() and "Trung tâm Y tế" not in text
    assert "Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân" in text
    assert "phường Hà Giang 2, tỉnh Tuyên Quang" in text


def test_default_legal_bases_follow_the_date(commune_a, monkeypatch):
    set_local_clock(monkeypatch, "2022-04-02 09:00")
    assert any("1020/UBND-THCBKS" in basis for basis in wording_for(commune_a).legal_bases)
    set_local_clock(monkeypatch, "2025-06-16 09:00")
    bases = default_settings(commune_a).legal_bases
    assert bases[0] == "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"
    assert not any("2015" in basis for basis in bases)


# Item 22: the health station's phone on the documents ---------------------------------------


def test_documents_print_the_health_stations_phone_where_they_say_whom_to_call(
    commune_a, officer_a, leader_a, recovered_case
):
    document_settings_save(
        unit=commune_a, by=leader_a, values={"health_station_phone": "0207 3822 115"}
    )
    assert DocumentTemplateSettings.objects.get(unit=commune_a).health_station_phone == (
        "0207 3822 115"
    )
    case = make_case(commune_a, status=Status.ACCEPTED, by=officer_a)
    decision = pdf_text(read(document_issue(document=decision_of(case), by=leader_a)))
    assert (
        "Báo ngay cho Trạm Y tế xã Tràng Đà (điện thoại 0207 3822 115) hoặc gọi 115 khi khó thở"
        in decision
    )
    confirmation = pdf_text(
        read(document_issue(document=confirmation_of(recovered_case), by=leader_a))
    )
    assert "liên hệ Trạm Y tế xã Tràng Đà (điện thoại 0207 3822 115) hoặc gọi 115" in (confirmation)
