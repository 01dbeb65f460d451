import threading
import unicodedata
from datetime import date

import pytest

from documents import samples
from documents.rendering import (
    DEV_MARK,
    Signatory,
    render_isolation_decision,
    render_recovery_confirmation,
)
from documents.tests.pdf import page_count, pdf_text


@pytest.fixture(scope="module")
def decision_text():
    return pdf_text(render_isolation_decision(samples.ISOLATION_DECISION))


@pytest.fixture(scope="module")
def recovery_text():
    return pdf_text(render_recovery_confirmation(samples.RECOVERY_CONFIRMATION))


def test_decision_header_follows_decree_30(decision_text):
    assert "ỦY BAN NHÂN DÂN XÃ TRÀNG ĐÀ" in decision_text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc" in decision_text
    assert "Số: 05/QĐ-UBND" in decision_text
    assert "Tràng Đà, ngày 02 tháng 4 năm 2022" in decision_text
    assert "QUYẾT ĐỊNH Về việc cách ly y tế tại nhà đối với người mắc COVID-19" in decision_text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ TRÀNG ĐÀ" in decision_text


def test_decision_states_bases_person_period_and_articles(decision_text):
    assert "Căn cứ Luật Phòng, chống bệnh truyền nhiễm ngày 21 tháng 11 năm 2007;" in decision_text
    assert "Căn cứ Văn bản số 1020/UBND-THCBKS ngày 29 tháng 3 năm 2022" in decision_text
    assert "Xét đề nghị của Trạm Y tế xã Tràng Đà." in decision_text
    assert "Họ và tên: Nguyễn Thị Hồng Nhung; ngày sinh: 05/11/1988; giới tính: Nữ;" in (
        decision_text
    )
    # Issued in 2022: the citizen ID card, before the Law on Identification of 1/7/2024.
    assert "Số căn cước công dân: 008188004567;" in decision_text
    assert "xã Tràng Đà, thành phố Tuyên Quang, tỉnh Tuyên Quang" in decision_text
    assert "nhanh kháng nguyên dương tính ngày 01/04/2022" in decision_text
    assert "từ ngày 01/04/2022 đến hết ngày 07/04/2022." in decision_text
    for article in ("Điều 1.", "Điều 2.", "Điều 3."):
        assert article in decision_text
    assert "Quyết định này có hiệu lực kể từ ngày ký." in decision_text
    assert "bà Nguyễn Thị Hồng Nhung chịu trách nhiệm thi hành Quyết định này./." in decision_text


def test_decision_closes_with_recipients_signing_block_and_qr_caption(decision_text):
    assert "Nơi nhận: - Như Điều 3; - UBND thành phố Tuyên Quang (b/c);" in decision_text
    assert "- Lưu: VT." in decision_text
    assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in decision_text
    assert "Nguyễn Văn Thành" in decision_text
    assert "Quét mã để kiểm tra văn bản" in decision_text


def test_long_decision_runs_on_to_a_second_page():
    data = samples.isolation_decision(obligations=[f"Yêu cầu số {i} về cách ly" for i in range(30)])
    pdf = render_isolation_decision(data)
    assert page_count(pdf) == 2
    assert "Yêu cầu số 29 về cách ly." in pdf_text(pdf)


def test_chairman_signs_without_kt():
    data = samples.isolation_decision(signatory=Signatory(full_name="Hoàng Thị Lan"))
    text = pdf_text(render_isolation_decision(data))
    assert "KT." not in text and "PHÓ CHỦ TỊCH" not in text
    assert "CHỦ TỊCH Hoàng Thị Lan" in text


def test_default_obligations_name_the_health_station(decision_text):
    assert "Báo ngay cho Trạm Y tế xã Tràng Đà hoặc gọi 115" in decision_text
    assert "xét nghiệm nhanh kháng nguyên" in decision_text


def test_development_mark_only_when_asked():
    marked = pdf_text(render_isolation_decision(samples.isolation_decision(dev_certificate=True)))
    plain = pdf_text(render_isolation_decision(samples.isolation_decision(dev_certificate=False)))
    assert DEV_MARK in marked
    assert "THỬ NGHIỆM" not in plain


@pytest.mark.parametrize(
    "name",
    [
        '#eval("1+1") *Nguyễn* _Văn_ $x$ ] \\ [#x]',
        "<nhãn> @tham-chieu // không phải chú thích = Đề mục",
        '#{panic("x")} #import "common.typ": * `mã`',
    ],
)
def test_names_with_typst_syntax_print_literally(name):
    data = samples.isolation_decision(person=samples.person(full_name=name))
    text = pdf_text(render_isolation_decision(data))
    assert f"Họ và tên: {name}; ngày sinh" in text
    assert f"bà {name} chịu trách nhiệm" in text


def test_decomposed_input_comes_out_composed():
    decomposed = unicodedata.normalize("NFD", "Trần Thị Ngọc Ánh")
    data = samples.isolation_decision(person=samples.person(full_name=decomposed))
    assert "Họ và tên: Trần Thị Ngọc Ánh;" in pdf_text(render_isolation_decision(data))


def test_a_man_is_addressed_as_ong_and_a_child_shows_the_guardian():
    man = samples.person(full_name="Lê Văn Hùng", sex="Nam")
    text = pdf_text(render_isolation_decision(samples.isolation_decision(person=man)))
    assert "Trong thời gian cách ly, ông Lê Văn Hùng có trách nhiệm" in text
    child = samples.person(
        full_name="Lê Minh Khôi",
        sex="Nam",
        birth_date=date(2019, 6, 1),
        id_number="",
        guardian="Lê Văn Hùng (bố), CCCD 008085001122",
        guardian_name="Lê Văn Hùng",
    )
    text = pdf_text(render_isolation_decision(samples.isolation_decision(person=child)))
    assert "người giám hộ Lê Văn Hùng có trách nhiệm bảo đảm Lê Minh Khôi" in text
    assert "ông Lê Minh Khôi" not in text
    assert "Người giám hộ: Lê Văn Hùng (bố), CCCD 008085001122;" in text
    assert "Số định danh" not in text


def test_isolation_ending_before_it_starts_is_refused():
    data = samples.isolation_decision(isolation_end=date(2022, 3, 30))
    with pytest.raises(ValueError, match="30/03/2022"):
        render_isolation_decision(data)


def test_same_data_gives_the_same_bytes():
    first = render_isolation_decision(samples.ISOLATION_DECISION)
    assert render_isolation_decision(samples.ISOLATION_DECISION) == first


def test_concurrent_renders_keep_their_own_data():
    names = [f"Người Thứ {i}" for i in range(8)]
    results: dict[str, str] = {}

    def render(name):
        data = samples.isolation_decision(person=samples.person(full_name=name))
        results[name] = pdf_text(render_isolation_decision(data))

    threads = [threading.Thread(target=render, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for name in names:
        assert f"Họ và tên: {name};" in results[name]


def test_recovery_confirmation_confirms_completion(recovery_text):
    assert "ỦY BAN NHÂN DÂN XÃ TRÀNG ĐÀ" in recovery_text
    assert "Số: 12/GXN-UBND" in recovery_text
    assert "Tràng Đà, ngày 09 tháng 4 năm 2022" in recovery_text
    assert "GIẤY XÁC NHẬN Hoàn thành thời gian cách ly y tế tại nhà" in (recovery_text)
    assert "ỦY BAN NHÂN DÂN XÃ TRÀNG ĐÀ XÁC NHẬN:" in recovery_text
    assert "Họ và tên: Nguyễn Thị Hồng Nhung; ngày sinh: 05/11/1988" in recovery_text
    assert "theo Quyết định số 05/QĐ-UBND ngày 02/04/2022" in recovery_text
    assert "từ ngày 01/04/2022 đến hết ngày 07/04/2022." in recovery_text
    assert "Kết quả xét nghiệm ngày 08/04/2022: âm tính với SARS-CoV-2" in recovery_text
    assert "người thực hiện: nhân viên Trạm Y tế xã Tràng Đà" in recovery_text
    assert (
        "Đã hoàn thành thời gian cách ly y tế tại nhà và khỏi bệnh COVID-19 theo quy định."
        in recovery_text
    )
    assert "chế độ ốm đau" in recovery_text
    assert "Nơi làm việc: Trường Tiểu học Tràng Đà." in recovery_text
    assert "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in recovery_text
    assert "- Bà Nguyễn Thị Hồng Nhung;" in recovery_text
    assert "- Lưu: VT." in recovery_text
    assert DEV_MARK in recovery_text


def test_recovery_confirmation_without_the_sick_leave_note():
    data = samples.recovery_confirmation(social_insurance_note=False)
    assert "ốm đau" not in pdf_text(render_recovery_confirmation(data))


@pytest.mark.django_db
def test_an_adult_without_papers_shows_the_relative_who_declared_and_a_child_the_guardian(
    commune_a,
):
    """Issue 13 part 3: an elderly parent is declared by a relative, who is no guardian."""
    from cases.testing import make_case
    from documents.composition import person_for

    relative = {
        "id_type": "none",
        "id_number": "",
        "guardian_name": "Nguyễn Thị Hoa",
        "guardian_id_number": "008190123456",
        "guardian_phone": "0912345678",
    }
    elderly = make_case(
        commune_a, full_name="Nguyễn Văn Tư", date_of_birth=date(1940, 7, 1), **relative
    )
    child = make_case(
        commune_a, full_name="Trần Minh Khang", date_of_birth=date(2016, 2, 10), **relative
    )
    texts = {
        case.full_name: pdf_text(
            render_isolation_decision(samples.isolation_decision(person=person_for(case)))
        )
        for case in (elderly, child)
    }
    assert (
        "Người thân khai báo thay: Nguyễn Thị Hoa (số giấy tờ: 008190123456);"
        in texts["Nguyễn Văn Tư"]
    )
    assert "Người giám hộ" not in texts["Nguyễn Văn Tư"]
    assert "Người giám hộ: Nguyễn Thị Hoa (số giấy tờ: 008190123456);" in texts["Trần Minh Khang"]
