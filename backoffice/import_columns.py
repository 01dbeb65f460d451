"""The columns of the case import sheet: header, how a cell is read, what the notes say.

Officers keep their own sheets, so a column is known by its title in any of the spellings
they use: with or without diacritics, in any case, with extra spaces or punctuation, with a
note in brackets ("Ngày sinh (dd/mm/yyyy)", "Họ và tên (*)"), or shortened ("SĐT", "Nơi XN",
"NS"). Titles are compared by `title_keys`, the single home of that rule.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from cases.choices import Comorbidity, Symptom
from cases.validators import name_key

TEXT, DATE, INT, CHOICE, MULTI, ID, PHONE = "text", "date", "int", "choice", "multi", "id", "phone"

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
# A title or a heading may sit above the header row; it is looked for among these first rows.
HEADER_SEARCH_ROWS = 10
# Households merged row by row make a few thousand ranges; far more is not a list of cases.
MAX_MERGED_RANGES = 10 * MAX_ROWS
SHEET_NAME = "Danh sách"
NOTES_SHEET_NAME = "Hướng dẫn"


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    kind: str = TEXT
    required: bool = False
    # (text in the sheet, value for the form); the first text is the one offered.
    options: tuple = ()
    # Other spellings officers use, compared without diacritics.
    aliases: dict = field(default_factory=dict)
    header_aliases: tuple = ()
    width: int = 18
    note: str = ""

    def header_keys(self) -> set[str]:
        return {key for title in (self.header, *self.header_aliases) for key in title_keys(title)}

    def option_texts(self) -> list[str]:
        return [text for text, _value in self.options]


# Words shortened in column titles, by their form without diacritics.
ABBREVIATIONS = {
    "sdt": "so dien thoai",
    "dt": "dien thoai",
    "dtdd": "dien thoai di dong",
    "dd": "di dong",
    "xn": "xet nghiem",
    "ns": "ngay sinh",
    "tdp": "to dan pho",
    "vx": "vac xin",
    "vacxin": "vac xin",
    "vaccine": "vac xin",
    "vacxine": "vac xin",
    "cmt": "cmnd",
    "hc": "ho chieu",
    "ngh": "nguoi giam ho",
}
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
# Row numbers officers keep in the first column; not a field, and not worth a note.
ROW_NUMBER_TITLES = {"stt", "tt", "so tt", "so thu tu", "thu tu"}
# A total row: its label starts with "Tổng" or "Cộng". Written with its diacritics, that
# word is never a name ("Tống" is the surname), so a subtotal may say more ("Cộng thôn 1");
# written without, "Tong" could be a surname and the label may say nothing but a count.
_TOTAL_WORDS_MARKED = {"tổng", "cộng"}
_TOTAL_FIRST = {"tong", "cong"}
_TOTAL_WORDS = _TOTAL_FIRST | {"so", "nguoi", "ho", "ca", "f0", "truong", "hop", "benh", "nhan"}


def _words(text: str) -> list[str]:
    return _NOT_WORD.sub(" ", name_key(text)).split()


def title_keys(title: str) -> tuple[str, ...]:
    """Keys a column title is known by: without diacritics, case, punctuation or extra
    spaces, shortened words written out, first as written, then without bracketed notes.

    "Số ĐT" -> ("so dien thoai",); "Họ và tên (*)" -> ("ho va ten",); "SpO2 (%)" -> ("spo2",);
    "Giới tính (Nam/Nữ)" -> ("gioi tinh nam nu", "gioi tinh").
    """
    keys = []
    for text in (title, _BRACKETS.sub(" ", title)):
        key = " ".join(ABBREVIATIONS.get(word, word) for word in _words(text))
        if key and key not in keys:
            keys.append(key)
    return tuple(keys)


def column_for_title(title: str) -> "Column | None":
    """The column a title of the officer's header row names, or None."""
    for key in title_keys(title):
        if key in _COLUMN_BY_KEY:
            return _COLUMN_BY_KEY[key]
    return None


def is_row_number_title(title: str) -> bool:
    return any(key in ROW_NUMBER_TITLES for key in title_keys(title))


def is_total_label(text: str) -> bool:
    """Whether a cell reads like the label of a total row: "Tổng", "Cộng", "Tổng cộng: 12 người".

    Also a subtotal, "Cộng thôn 1". A name such as "Tống Văn Hải" or "Tong Van Hai" is not.
    """
    text = text.lstrip()
    if len(text) > 60 or text[:1] not in "TtCc":
        return False  # the cheap test first: most cells of 5,000 rows are names and dates
    first = unicodedata.normalize("NFC", text).split(maxsplit=1)[0].rstrip(":.,").lower()
    if first in _TOTAL_WORDS_MARKED:
        return True
    words = _words(text)
    return (
        bool(words)
        and words[0] in _TOTAL_FIRST
        and all(w in _TOTAL_WORDS or w.isdigit() for w in words)
    )


SYMPTOM_OPTIONS = tuple((str(label), code) for code, label in Symptom.choices)
COMORBIDITY_OPTIONS = tuple((str(label), code) for code, label in Comorbidity.choices)

COLUMNS = (
    Column("full_name", "Họ và tên", required=True, width=24, header_aliases=("Họ tên", "Họ, tên", "Họ và tên F0", "Họ tên F0", "Họ và tên người bệnh", "Họ tên người bệnh", "Họ và tên người nhiễm")),
    Column("date_of_birth", "Ngày sinh", DATE, required=True, width=12,
           header_aliases=("NS", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Sinh ngày", "NTNS")),
    Column("sex", "Giới tính", CHOICE, required=True, width=10, header_aliases=("Giới", "Nam/Nữ", "Nam, nữ"),
           options=(("Nam", "male"), ("Nữ", "female")), aliases={"male": "male", "female": "female"}),
    Column("id_type", "Loại giấy tờ", CHOICE, required=True, width=16,
           header_aliases=("Loại giấy tờ tùy thân", "Loại giấy tờ tuỳ thân"),
           options=(("CCCD", "cccd"), ("CMND", "cmnd"), ("Hộ chiếu", "passport"),
                    ("Chưa có giấy tờ", "none")),
           aliases={"can cuoc": "cccd", "can cuoc cong dan": "cccd", "the can cuoc": "cccd",
                    "chung minh nhan dan": "cmnd", "passport": "passport", "khong co": "none",
                    "khong": "none", "tre em": "none"}),
    Column("id_number", "Số CCCD/CMND/hộ chiếu", ID, width=18,
           header_aliases=("Số CCCD", "Số giấy tờ", "CCCD", "Số CMND", "CMND", "Số CCCD/CMND", "CCCD/CMND",
                           "Số CMND/CCCD", "CMND/CCCD", "Số giấy tờ tùy thân", "Số giấy tờ tuỳ thân",
                           "Số định danh", "Số định danh cá nhân", "Số hộ chiếu", "CCCD/CMND/HC"),
           note=_("Định dạng văn bản để giữ số 0 ở đầu. Trẻ em chưa có giấy tờ: để trống.")),
    Column("phone", "Số điện thoại", PHONE, required=True, width=14, header_aliases=("SĐT", "Điện thoại", "Điện thoại di động", "Số di động", "Di động", "Số điện thoại liên hệ", "Điện thoại liên hệ", "SĐT liên hệ", "Số điện thoại di động")),
    Column("email", "Thư điện tử", width=20, header_aliases=("Email", "E-mail", "Địa chỉ email", "Địa chỉ thư điện tử")),
    Column("village", "Thôn, tổ dân phố", required=True, width=20, header_aliases=("Thôn/tổ", "Thôn", "Thôn/xóm", "Xóm", "Thôn/bản", "Bản", "Ấp", "Tổ dân phố", "Tổ", "Khu phố", "Thôn/khu phố", "Thôn/ấp", "Thôn/tổ dân phố/khu phố")),
    Column("house_number", "Số nhà, đường", width=18, header_aliases=("Số nhà", "Số nhà, đường phố", "Số nhà, tên đường", "Đường")),
    Column("test_type", "Loại xét nghiệm", CHOICE, required=True, width=24,
           header_aliases=("Hình thức xét nghiệm", "Phương pháp xét nghiệm", "Loại test"),
           options=(("Xét nghiệm nhanh tại cơ sở y tế", "rapid_facility"),
                    ("Xét nghiệm nhanh tự làm", "rapid_self"), ("RT-PCR", "rt_pcr")),
           # Sheets made before issue 14 (and officers' own) still say "test nhanh".
           aliases={"pcr": "rt_pcr", "rtpcr": "rt_pcr", "rt pcr": "rt_pcr",
                    "tu test": "rapid_self", "test nhanh tu lam": "rapid_self",
                    "test nhanh tai co so y te": "rapid_facility"}),
    Column("test_place", "Nơi xét nghiệm", width=20,
           header_aliases=("Địa điểm xét nghiệm", "Nơi test", "Cơ sở xét nghiệm", "Đơn vị xét nghiệm", "Nơi lấy mẫu")),
    Column("positive_test_date", "Ngày xét nghiệm dương tính", DATE, required=True, width=14,
           header_aliases=("Ngày dương tính", "Ngày xét nghiệm", "Ngày test", "Ngày có kết quả dương tính", "Ngày có kết quả", "Ngày xét nghiệm (+)", "Ngày phát hiện")),
    Column("vaccine_doses", "Số mũi vắc xin đã tiêm", INT, required=True, width=10,
           header_aliases=("Số mũi vắc xin", "Số mũi đã tiêm", "Số mũi tiêm", "Số mũi", "Đã tiêm vắc xin", "Tiêm vắc xin"),
           note=_("Số từ 0 đến 4 (4 nghĩa là 4 mũi trở lên).")),
    Column("last_dose_date", "Ngày tiêm mũi gần nhất", DATE, width=14,
           header_aliases=("Ngày tiêm gần nhất", "Ngày tiêm mũi cuối", "Ngày tiêm mũi cuối cùng", "Ngày tiêm")),
    Column("symptoms", "Triệu chứng", MULTI, width=24, options=SYMPTOM_OPTIONS,
           header_aliases=("Các triệu chứng", "Triệu chứng hiện tại"),
           note=_("Ghi các triệu chứng trong danh mục, cách nhau bằng dấu chấm phẩy (;).")),
    Column("symptom_onset_date", "Ngày bắt đầu có triệu chứng", DATE, width=14,
           header_aliases=("Ngày có triệu chứng", "Ngày bắt đầu triệu chứng", "Ngày khởi phát", "Ngày khởi phát triệu chứng")),
    Column("spo2", "SpO2 (%)", INT, width=8, header_aliases=("Chỉ số SpO2", "Độ bão hòa oxy", "Độ bão hoà oxy")),
    Column("comorbidities", "Bệnh nền", MULTI, width=22, options=COMORBIDITY_OPTIONS,
           header_aliases=("Bệnh lý nền", "Tiền sử bệnh", "Bệnh mạn tính"),
           note=_("Ghi các bệnh trong danh mục, cách nhau bằng dấu chấm phẩy (;).")),
    Column("pregnant", "Đang mang thai", CHOICE, width=10, header_aliases=("Mang thai", "Có thai", "Đang có thai"),
           options=(("Có", "on"), ("Không", "")), aliases={"x": "on"}),
    Column("household_size", "Số người trong hộ", INT, width=10,
           header_aliases=("Số nhân khẩu", "Nhân khẩu", "Số người trong gia đình", "Số thành viên trong hộ")),
    Column("workplace", "Nơi làm việc", width=20,
           header_aliases=("Nơi công tác", "Đơn vị công tác", "Cơ quan", "Nơi làm việc, học tập", "Nơi làm việc/học tập")),
    Column("social_insurance_number", "Mã số BHXH", ID, width=14, header_aliases=("Mã BHXH", "Số BHXH", "Số sổ BHXH")),
    Column("guardian_name", "Họ tên người giám hộ", width=22,
           header_aliases=("Họ và tên người giám hộ", "Người giám hộ", "Tên người giám hộ"),
           note=_("Chỉ với trẻ em chưa có giấy tờ.")),
    Column("guardian_id_number", "Số CCCD/CMND người giám hộ", ID, width=18,
           header_aliases=("CCCD người giám hộ", "Số CCCD người giám hộ", "CMND người giám hộ", "Số CMND người giám hộ",
                           "CCCD/CMND người giám hộ", "Số giấy tờ người giám hộ")),
    Column("guardian_phone", "SĐT người giám hộ", PHONE, width=14,
           header_aliases=("Điện thoại người giám hộ", "Số điện thoại di động người giám hộ")),
)  # fmt: skip

COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}
_COLUMN_BY_KEY = {key: column for column in reversed(COLUMNS) for key in column.header_keys()}

# The example row of the template; a row equal to it is skipped, not imported.
EXAMPLE_ROW = {
    "full_name": "Nguyễn Thị Hoa",
    "date_of_birth": date(1990, 5, 5),
    "sex": "Nữ",
    "id_type": "CCCD",
    "id_number": "008190012345",
    "phone": "0912345678",
    "village": "Thôn Cầu Bâm",
    "test_type": "Xét nghiệm nhanh tại cơ sở y tế",
    "test_place": "Trạm Y tế xã",
    "positive_test_date": date(2022, 3, 28),
    "vaccine_doses": 2,
    "symptoms": "Sốt; Ho",
    "household_size": 4,
}
