import pytest

from notifications.models import Kind
from notifications.texts import SMS_MAX_LENGTH, message_for, receipt_message, sms_text

STATUS_URL = "https://khaibaof0.tuyenquang.gov.vn/tra-cuu/TQ-7K3M-9QXH"
GSM7_SAFE = set(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;!?-/()%&'\"+=@_"
)


def test_sms_text_strips_every_vietnamese_diacritic():
    assert sms_text("Đã nhận khai báo") == "Da nhan khai bao"
    assert sms_text("Quyết định cách ly y tế tại nhà") == "Quyet dinh cach ly y te tai nha"
    assert sms_text("ĐƯỜNG Ưu Ơn ỳ ỹ ỵ đ") == "DUONG Uu On y y y d"
    assert sms_text("Nguyễn Thị Hằng, phường Phan Thiết") == "Nguyen Thi Hang, phuong Phan Thiet"


def test_sms_text_handles_decomposed_input():
    # Text pasted from some keyboards arrives already decomposed (NFD).
    assert sms_text("Tuye\u0302\u0301n Quang") == "Tuyen Quang"


def test_receipt_sms_is_unaccented_and_fits_one_message():
    message = receipt_message("TQ-7K3M-9QXH", STATUS_URL)
    assert "TQ-7K3M-9QXH" in message.sms
    assert STATUS_URL in message.sms
    assert set(message.sms) <= GSM7_SAFE
    assert len(message.sms) <= SMS_MAX_LENGTH
    assert message.sms.startswith("Da nhan khai bao COVID-19.")


def test_receipt_email_keeps_diacritics():
    message = receipt_message("TQ-7K3M-9QXH", STATUS_URL)
    assert message.email_subject == "Đã nhận khai báo nhiễm COVID-19, mã hồ sơ TQ-7K3M-9QXH"
    assert "Mã hồ sơ của bạn là TQ-7K3M-9QXH." in message.email_body
    assert STATUS_URL in message.email_body
    assert "\n\n\n" not in message.email_body


def test_links_are_not_html_escaped():
    url = "https://khaibaof0.tuyenquang.gov.vn/tra-cuu?ma=TQ-7K3M-9QXH&lang=vi"
    message = receipt_message("TQ-7K3M-9QXH", url)
    assert url in message.sms
    assert url in message.email_body


# The link each kind of message gives, where it is not the status page's.
LINKS = {
    Kind.DAILY_REPORT_LINK: (
        "monitor_url",
        "https://khaibaof0.tuyenquang.gov.vn/theo-doi/Xb3k_9QpLmZ2aT7w.0f3a9c1d2e4b5a67/",
    ),
    Kind.DANGER_ALERT: ("case_url", "https://khaibaof0.tuyenquang.gov.vn/office/cases/1234567/"),
}


# The digest is composed by reports.digests, not from templates: it names no case.
@pytest.mark.parametrize(
    "kind", [k for k in Kind.values if k not in (Kind.PHONE_CODE, Kind.DAILY_DIGEST)]
)
def test_every_case_message_names_the_tracking_code_and_link_within_one_sms(kind):
    name, url = LINKS.get(kind, ("status_url", STATUS_URL))
    message = message_for(
        kind,
        tracking_code="TQ-7K3M-9QXH",
        reason="Ảnh mờ",
        document_number="05/QĐ-UBND",
        commune="Xã Tràng Đà",
        **{name: url},
    )
    assert "TQ-7K3M-9QXH" in message.sms and url in message.sms
    assert set(message.sms) <= GSM7_SAFE
    assert len(message.sms) <= SMS_MAX_LENGTH
    assert message.email_subject and "TQ-7K3M-9QXH" in message.email_body
    assert url in message.email_body


def test_rejection_email_carries_the_reason_but_the_sms_does_not():
    message = message_for(
        Kind.DECLARATION_REJECTED,
        tracking_code="TQ-7K3M-9QXH",
        status_url=STATUS_URL,
        reason="Ảnh que test không đọc được tên và ngày",
    )
    assert "Lý do: Ảnh que test không đọc được tên và ngày" in message.email_body
    assert "Anh que test" not in message.sms


def test_decision_email_gives_the_document_number():
    message = message_for(
        Kind.DECISION_ISSUED,
        tracking_code="TQ-7K3M-9QXH",
        status_url=STATUS_URL,
        document_number="05/QĐ-UBND",
    )
    assert "Số quyết định: 05/QĐ-UBND" in message.email_body
    assert message.email_subject == "Quyết định cách ly y tế tại nhà, hồ sơ TQ-7K3M-9QXH"


def test_phone_code_sms_gives_code_and_lifetime():
    message = message_for(Kind.PHONE_CODE, code="048213", minutes=5)
    assert message.sms == (
        "Ma xac nhan Khai bao F0 cua ban la 048213, co hieu luc 5 phut. "
        "Khong dua ma nay cho nguoi khac."
    )
