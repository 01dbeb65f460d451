"""Synthetic people: Vietnamese names from common parts (Kinh names, and the Tày, Dao
and Nùng family names frequent in Tuyên Quang), papers, phones, health. Weights are rough
shares, not statistics."""

import random
from bisect import bisect_right
from datetime import date, timedelta
from itertools import accumulate

from cases import rules
from cases.choices import Comorbidity, Symptom

MOBILE_PREFIXES = [
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",
    "056",
    "058",
    "070",
    "076",
    "077",
    "078",
    "079",
    "081",
    "082",
    "083",
    "084",
    "085",
    "086",
    "088",
    "089",
    "090",
    "091",
    "093",
    "094",
    "096",
    "097",
    "098",
]


class Weighted:
    """Values drawn by weight, with the cumulative weights worked out once (random.choices
    works them out again on every call)."""

    def __init__(self, values, weights):
        self.values = list(values)
        self.cum = list(accumulate(weights))

    def pick(self, rng: random.Random):
        return self.values[bisect_right(self.cum, rng.random() * self.cum[-1])]


MILD_SYMPTOMS = [
    Symptom.FEVER,
    Symptom.COUGH,
    Symptom.SORE_THROAT,
    Symptom.RUNNY_NOSE,
    Symptom.FATIGUE,
    Symptom.MUSCLE_ACHE,
    Symptom.HEADACHE,
    Symptom.SMELL_TASTE,
]

FAMILY_NAMES = {
    "Nguyễn": 28,
    "Trần": 7,
    "Lê": 6,
    "Phạm": 5,
    "Hoàng": 6,
    "Vũ": 3,
    "Đặng": 2,
    "Bùi": 2,
    "Đỗ": 2,
    "Hồ": 1,
    "Ngô": 1,
    "Dương": 2,
    "Lý": 1,
    "Phan": 2,
    "Đào": 1,
    "Ma": 4,
    "Nông": 3,
    "Hà": 3,
    "Triệu": 2,
    "Lương": 1,
    "Quan": 1,
    "Chu": 1,
    "Lục": 1,
    "Bàn": 2,
    "Vương": 1,
    "Mạc": 1,
    "Âu": 1,
    "Tạ": 1,
}
MIDDLE_NAMES = {
    "male": {
        "Văn": 45,
        "Đức": 8,
        "Minh": 8,
        "Quang": 6,
        "Hữu": 5,
        "Công": 4,
        "Xuân": 4,
        "Thanh": 4,
        "Ngọc": 3,
        "Tiến": 3,
        "Mạnh": 3,
        "Trung": 3,
    },
    "female": {
        "Thị": 55,
        "Thu": 6,
        "Ngọc": 6,
        "Thanh": 5,
        "Phương": 4,
        "Hồng": 5,
        "Minh": 4,
        "Kim": 4,
        "Diệu": 2,
        "Bích": 3,
        "Hải": 3,
    },
}
GIVEN_NAMES = {
    "male": [
        "Hùng",
        "Dũng",
        "Tuấn",
        "Nam",
        "Long",
        "Thắng",
        "Hải",
        "Sơn",
        "Quân",
        "Bình",
        "Cường",
        "Hiếu",
        "Trung",
        "Đạt",
        "Phúc",
        "Khoa",
        "Hoàng",
        "Tâm",
        "Việt",
        "An",
        "Huy",
        "Kiên",
        "Lâm",
        "Mạnh",
        "Thành",
        "Vinh",
        "Toàn",
        "Đông",
        "Hưng",
        "Khánh",
        "Tùng",
        "Thái",
        "Chiến",
        "Lợi",
        "Tú",
        "Duy",
        "Phong",
        "Quý",
        "Bảo",
        "Nghĩa",
    ],
    "female": [
        "Hoa",
        "Lan",
        "Mai",
        "Hương",
        "Thảo",
        "Linh",
        "Trang",
        "Hà",
        "Ngọc",
        "Yến",
        "Nhung",
        "Huyền",
        "Hằng",
        "Thủy",
        "Vân",
        "Anh",
        "Dung",
        "Nga",
        "Oanh",
        "Phượng",
        "Quyên",
        "Loan",
        "Chi",
        "My",
        "Nhi",
        "Thư",
        "Tuyết",
        "Xuân",
        "Hạnh",
        "Liên",
        "Giang",
        "Huệ",
        "Lý",
        "Sen",
        "Thắm",
        "Nhàn",
        "Duyên",
        "Hiền",
        "Ly",
        "Trinh",
    ],
}
VILLAGE_NAMES = (
    "Cầu Bâm",
    "Đồng Giàn",
    "Làng Chẵng",
    "Bản Khán",
    "Nà Mỏ",
    "Khuôn Phục",
    "Pác Cháng",
    "Đồng Mán",
    "Làng Mãn",
    "Tân Tiến",
    "Tân Thành",
    "Hợp Thành",
    "Đồng Tâm",
    "Thống Nhất",
    "Phúc Lộc",
    "Bình Ca",
    "Cây Thị",
    "Nà Khà",
    "Bản Tát",
    "Khuổi Hóp",
    "Nà Héc",
    "Đồng Chùa",
    "Làng Ải",
    "Phai Khằn",
    "Nà Bó",
    "Cốc Phường",
    "Thác Cái",
    "Đèo Tượng",
    "Gốc Chú",
    "Đồng Trò",
    "Tân Quang",
    "Minh Khai",
    "Xuân Hòa",
    "Tân Lập",
    "Vĩnh Tiến",
    "Hồng Thái",
)
STREETS = (
    "Quang Trung",
    "Lê Lợi",
    "Trần Phú",
    "Nguyễn Trãi",
    "Tân Trào",
    "Bình Thuận",
    "Phan Thiết",
    "Lý Thái Tổ",
    "Chiến Thắng Sông Lô",
    "17 Tháng 8",
    "Kim Bình",
    "Xuân Hòa",
)
WORKPLACES = (
    "Công ty Cổ phần Giấy An Hòa",
    "Trường Tiểu học thị trấn",
    "Trường THCS xã",
    "UBND xã",
    "Bệnh viện Đa khoa tỉnh",
    "Công ty TNHH may xuất khẩu",
    "Chợ Tam Cờ",
    "Công ty Xi măng Tân Quang",
    "Kho bạc Nhà nước",
    "Trung tâm Y tế huyện",
)
FAMILY = Weighted(FAMILY_NAMES, FAMILY_NAMES.values())
MIDDLE = {sex: Weighted(names, names.values()) for sex, names in MIDDLE_NAMES.items()}
DOSES = Weighted((0, 1, 2, 3, 4), (4, 4, 35, 55, 2))
CHILD_DOSES = Weighted((0, 1, 2), (70, 10, 20))
SYMPTOM_COUNT = Weighted((0, 1, 2, 3), (15, 35, 35, 15))
HOUSEHOLD = Weighted((1, 2, 3, 4, 5, 6, 7), (5, 10, 20, 30, 20, 10, 5))


def person(rng: random.Random, year: int) -> dict:
    """Name, birth date, sex, phone and papers of one person (a guardian under 14)."""
    sex = "female" if rng.random() < 0.52 else "male"
    age = min(95, max(0, int(rng.triangular(0, 90, 32))))
    dob = date(year - age, 1, 1) + timedelta(days=rng.randrange(365))
    family = FAMILY.pick(rng)
    full_name = f"{family} {MIDDLE[sex].pick(rng)} {rng.choice(GIVEN_NAMES[sex])}"
    phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"
    values = {"full_name": full_name, "date_of_birth": dob, "sex": sex, "phone": phone}
    values.update(guardian_name="", guardian_id_number="", guardian_phone="")
    if age < 14:
        guardian_sex = rng.choice(("male", "female"))
        guardian_middle = "Văn" if guardian_sex == "male" else "Thị"
        guardian_given = rng.choice(GIVEN_NAMES[guardian_sex])
        values.update(
            id_type="none",
            id_number="",
            guardian_name=f"{family} {guardian_middle} {guardian_given}",
            guardian_id_number=cccd(rng, dob.replace(year=dob.year - 28), guardian_sex),
            guardian_phone=phone,
        )
    elif rng.random() < 0.1 and age >= 25:
        values.update(id_type="cmnd", id_number=f"07{rng.randrange(10**7):07d}")
    else:
        values.update(id_type="cccd", id_number=cccd(rng, dob, sex))
    return values


def cccd(rng: random.Random, dob: date, sex: str) -> str:
    """A CCCD number consistent with the birth date and sex (province of birth mostly 008)."""
    century_sex = (dob.year - 1900) // 100 * 2 + (1 if sex == "female" else 0)
    origin = "008" if rng.random() < 0.85 else rng.choice(("001", "002", "019"))
    return f"{origin}{century_sex}{dob.year % 100:02d}{rng.randrange(10**6):06d}"


def health(rng: random.Random, dob: date, sex: str, positive: date) -> dict:
    """Vaccination, symptoms (1.5 % with danger signs), comorbidities, pregnancy."""
    doses = DOSES.pick(rng)
    age = rules.age_on(dob, positive)
    if age < 12:
        doses = CHILD_DOSES.pick(rng)
    symptoms = rng.sample(MILD_SYMPTOMS, SYMPTOM_COUNT.pick(rng))
    spo2 = rng.choice((None, None, 97, 98, 99))
    if rng.random() < 0.015:
        symptoms.append(Symptom.BREATHLESSNESS)
        spo2 = rng.choice((92, 94, 95, 96))
    comorbidities = []
    if rng.random() < (0.35 if age >= 60 else 0.06):
        comorbidities = rng.sample(list(Comorbidity.values), rng.choice((1, 1, 2)))
    return {
        "vaccine_doses": doses,
        "last_dose_date": positive - timedelta(days=rng.randrange(60, 300)) if doses else None,
        "symptoms": [str(s) for s in symptoms],
        "symptom_onset_date": positive - timedelta(days=rng.choice((0, 0, 1)))
        if symptoms
        else None,
        "spo2": spo2,
        "breathing_rate": None,
        "temperature": None,
        "comorbidities": comorbidities,
        "pregnant": sex == "female" and 18 <= age <= 42 and rng.random() < 0.04,
        "household_size": HOUSEHOLD.pick(rng),
    }
