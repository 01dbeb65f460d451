"""Realistic sample data for the documents of Xã Tràng Đà (Tuyên Quang), April 2022.

Used by the tests, the benchmark and anyone who wants to look at a document. The people
are invented; the legal bases are the ones in force in Tuyên Quang in April 2022.
"""

from dataclasses import replace
from datetime import date

from documents.rendering import (
    IsolationDecisionData,
    Issuer,
    Person,
    RecoveryConfirmationData,
    Signatory,
)

VERIFICATION_URL = "https://khaibaof0.tuyenquang.gov.vn/kiem-tra/7K3M9QXH2F4TJ8WN6RBCDP5G"

LEGAL_BASES_2022 = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ "
    "sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày "
    "22 tháng 11 năm 2019",
    "Căn cứ Luật Phòng, chống bệnh truyền nhiễm ngày 21 tháng 11 năm 2007",
    "Căn cứ Nghị định số 101/2010/NĐ-CP ngày 30 tháng 9 năm 2010 của Chính phủ quy định chi "
    "tiết thi hành một số điều của Luật Phòng, chống bệnh truyền nhiễm về áp dụng biện pháp "
    "cách ly y tế, cưỡng chế cách ly y tế và chống dịch đặc thù trong thời gian có dịch",
    "Căn cứ các Quyết định của Bộ trưởng Bộ Y tế: số 250/QĐ-BYT ngày 28 tháng 01 năm 2022, "
    "số 261/QĐ-BYT ngày 31 tháng 01 năm 2022 và số 604/QĐ-BYT ngày 14 tháng 3 năm 2022 về "
    "hướng dẫn chẩn đoán, điều trị và quản lý người mắc COVID-19 tại nhà",
    "Căn cứ Văn bản số 1020/UBND-THCBKS ngày 29 tháng 3 năm 2022 của Ủy ban nhân dân tỉnh "
    "Tuyên Quang về việc triển khai ứng dụng công nghệ thông tin trong quản lý, theo dõi "
    "phòng chống dịch COVID-19",
)

TRANG_DA = Issuer(code="02209", name="Xã Tràng Đà", place_name="Tràng Đà")

VICE_CHAIRMAN = Signatory(full_name="Nguyễn Văn Thành", deputy=True)
CHAIRMAN = Signatory(full_name="Hoàng Thị Lan")

PERSON = Person(
    full_name="Nguyễn Thị Hồng Nhung",
    birth_date=date(1988, 11, 5),
    sex="Nữ",
    id_number="008188004567",
    id_label="Số căn cước công dân",  # the samples are of 2022, before the Law of 2024
    residence="Tổ 3, Thôn Cầu Trôi, xã Tràng Đà, thành phố Tuyên Quang, tỉnh Tuyên Quang",
    workplace="Trường Tiểu học Tràng Đà",
)

ISOLATION_DECISION = IsolationDecisionData(
    number="05/QĐ-UBND",
    issued_on=date(2022, 4, 2),
    issuer=TRANG_DA,
    signatory=VICE_CHAIRMAN,
    person=PERSON,
    positive_test_date=date(2022, 4, 1),
    positive_test_type="xét nghiệm nhanh kháng nguyên",
    isolation_start=date(2022, 4, 1),
    isolation_end=date(2022, 4, 7),
    legal_bases=LEGAL_BASES_2022,
    verification_url=VERIFICATION_URL,
    recipients=(
        "Như Điều 3",
        "UBND thành phố Tuyên Quang (b/c)",
        "Trung tâm Y tế thành phố Tuyên Quang",
    ),
    dev_certificate=True,
)

RECOVERY_CONFIRMATION = RecoveryConfirmationData(
    number="12/GXN-UBND",
    issued_on=date(2022, 4, 9),
    issuer=TRANG_DA,
    signatory=VICE_CHAIRMAN,
    person=PERSON,
    decision_number="05/QĐ-UBND",
    decision_date=date(2022, 4, 2),
    isolation_start=date(2022, 4, 1),
    isolation_end=date(2022, 4, 7),
    negative_test_date=date(2022, 4, 8),
    negative_test_type="xét nghiệm nhanh kháng nguyên",
    negative_test_by="nhân viên Trạm Y tế xã Tràng Đà",
    verification_url="https://khaibaof0.tuyenquang.gov.vn/kiem-tra/Q4XH8N2M7CWJ5KT3RB9PF6DG",
    social_insurance_note=True,
    dev_certificate=True,
)


def isolation_decision(**changes) -> IsolationDecisionData:
    """The sample decision with some fields changed."""
    return replace(ISOLATION_DECISION, **changes)


def recovery_confirmation(**changes) -> RecoveryConfirmationData:
    """The sample recovery confirmation with some fields changed."""
    return replace(RECOVERY_CONFIRMATION, **changes)


def person(**changes) -> Person:
    """The sample person with some fields changed."""
    return replace(PERSON, **changes)
