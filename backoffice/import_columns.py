"""The columns of the case import sheet: header, how a cell is read, what the notes say."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from cases.choices import Comorbidity, Symptom
from cases.validators import name_key

TEXT, DATE, INT, CHOICE, MULTI, ID, PHONE = "text", "date", "int", "choice", "multi", "id", "phone"

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
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
        return {name_key(self.header), *(name_key(a) for a in self.header_aliases)}

    def option_texts(self) -> list[str]:
        return [text for text, _value in self.options]


SYMPTOM_OPTIONS = tuple((str(label), code) for code, label in Symptom.choices)
COMORBIDITY_OPTIONS = tuple((str(label), code) for code, label in Comorbidity.choices)

COLUMNS = (
    Column("full_name", "Họ và tên", required=True, width=24, header_aliases=("Họ tên",)),
    Column("date_of_birth", "Ngày sinh", DATE, required=True, width=12),
    Column("sex", "Giới tính", CHOICE, required=True, width=10,
           options=(("Nam", "male"), ("Nữ", "female")), aliases={"male": "male", "female": "female"}),
    Column("id_type", "Loại giấy tờ", CHOICE, required=True, width=16,
           options=(("CCCD", "cccd"), ("CMND", "cmnd"), ("Hộ chiếu", "passport"),
                    ("Chưa có giấy tờ", "none")),
           aliases={"can cuoc": "cccd", "can cuoc cong dan": "cccd", "the can cuoc": "cccd",
                    "chung minh nhan dan": "cmnd", "passport": "passport", "khong co": "none",
                    "khong": "none", "tre em": "none"}),
    Column("id_number", "Số CCCD/CMND/hộ chiếu", ID, width=18,
           header_aliases=("Số CCCD", "Số giấy tờ", "CCCD", "Số CMND"),
           note=_("Định dạng văn bản để giữ số 0 ở đầu. Trẻ em chưa có giấy tờ: để trống.")),
    Column("phone", "Số điện thoại", PHONE, required=True, width=14, header_aliases=("SĐT", "Điện thoại")),
    Column("email", "Thư điện tử", width=20, header_aliases=("Email",)),
    Column("village", "Thôn, tổ dân phố", required=True, width=20, header_aliases=("Thôn/tổ", "Thôn")),
    Column("house_number", "Số nhà, đường", width=18),
    Column("test_type", "Loại xét nghiệm", CHOICE, required=True, width=24,
           options=(("Test nhanh tại cơ sở y tế", "rapid_facility"),
                    ("Test nhanh tự làm", "rapid_self"), ("RT-PCR", "rt_pcr")),
           aliases={"pcr": "rt_pcr", "rtpcr": "rt_pcr", "rt pcr": "rt_pcr",
                    "tu test": "rapid_self", "test nhanh tu lam": "rapid_self"}),
    Column("test_place", "Nơi xét nghiệm", width=20),
    Column("positive_test_date", "Ngày xét nghiệm dương tính", DATE, required=True, width=14,
           header_aliases=("Ngày dương tính", "Ngày xét nghiệm")),
    Column("vaccine_doses", "Số mũi vắc xin đã tiêm", INT, required=True, width=10,
           note=_("Số từ 0 đến 4 (4 nghĩa là 4 mũi trở lên).")),
    Column("last_dose_date", "Ngày tiêm mũi gần nhất", DATE, width=14),
    Column("symptoms", "Triệu chứng", MULTI, width=24, options=SYMPTOM_OPTIONS,
           note=_("Ghi các triệu chứng trong danh mục, cách nhau bằng dấu chấm phẩy (;).")),
    Column("symptom_onset_date", "Ngày bắt đầu có triệu chứng", DATE, width=14),
    Column("spo2", "SpO2 (%)", INT, width=8),
    Column("comorbidities", "Bệnh nền", MULTI, width=22, options=COMORBIDITY_OPTIONS,
           note=_("Ghi các bệnh trong danh mục, cách nhau bằng dấu chấm phẩy (;).")),
    Column("pregnant", "Đang mang thai", CHOICE, width=10,
           options=(("Có", "on"), ("Không", "")), aliases={"x": "on"}),
    Column("household_size", "Số người trong hộ", INT, width=10),
    Column("workplace", "Nơi làm việc", width=20),
    Column("social_insurance_number", "Mã số BHXH", ID, width=14),
    Column("guardian_name", "Họ tên người giám hộ", width=22,
           note=_("Chỉ với trẻ em chưa có giấy tờ.")),
    Column("guardian_id_number", "Số CCCD/CMND người giám hộ", ID, width=18),
    Column("guardian_phone", "SĐT người giám hộ", PHONE, width=14),
)  # fmt: skip

COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}

# The example row of the template; a row equal to it is skipped, not imported.
EXAMPLE_ROW = {
    "full_name": "Nguyễn Thị Hoa",
    "date_of_birth": date(1990, 5, 5),
    "sex": "Nữ",
    "id_type": "CCCD",
    "id_number": "008190012345",
    "phone": "0912345678",
    "village": "Thôn Cầu Bâm",
    "test_type": "Test nhanh tại cơ sở y tế",
    "test_place": "Trạm Y tế xã",
    "positive_test_date": date(2022, 3, 28),
    "vaccine_doses": 2,
    "symptoms": "Sốt; Ho",
    "household_size": 4,
}
