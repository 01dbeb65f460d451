"""The fixed vocabularies of a declaration: codes in English, labels in Vietnamese."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Chờ xã tiếp nhận")
    TRANSFERRED = "transferred", _("Đã chuyển xã, chờ tiếp nhận")
    ACCEPTED = "accepted", _("Đang cách ly")
    RECOVERY_REQUESTED = "recovery_requested", _("Đã khai báo khỏi bệnh, chờ xác nhận")
    RECOVERED = "recovered", _("Đã khỏi bệnh, hoàn thành cách ly")
    REJECTED = "rejected", _("Từ chối tiếp nhận")
    CLOSED = "closed", _("Đã kết thúc theo dõi")


OPEN_STATUSES = (
    Status.SUBMITTED,
    Status.TRANSFERRED,
    Status.ACCEPTED,
    Status.RECOVERY_REQUESTED,
)
AWAITING_REVIEW = (Status.SUBMITTED, Status.TRANSFERRED)
ISOLATING = (Status.ACCEPTED, Status.RECOVERY_REQUESTED)


class Action(models.TextChoices):
    """What may be done with a case. The citizen declares recovery; a commune's officials
    do the rest (`Case.allowed_actions()` says which of them a case offers today)."""

    ACCEPT = "accept", _("Tiếp nhận")
    REJECT = "reject", _("Từ chối tiếp nhận")
    TRANSFER = "transfer", _("Chuyển xã")
    CLOSE = "close", _("Kết thúc theo dõi")
    REQUEST_RECOVERY = "request_recovery", _("Khai báo khỏi bệnh")
    CONFIRM_RECOVERY = "confirm_recovery", _("Xác nhận khỏi bệnh")
    REFUSE_RECOVERY = "refuse_recovery", _("Từ chối xác nhận khỏi bệnh")
    CORRECT = "correct", _("Sửa thông tin")


_REVIEW = {
    Action.ACCEPT: Status.ACCEPTED,
    Action.REJECT: Status.REJECTED,
    Action.TRANSFER: Status.TRANSFERRED,
    Action.CLOSE: Status.CLOSED,
}

# The case lifecycle, the one table of it: in each status, which action leads to which
# status. Every status change goes through cases.lifecycle.transition(), which refuses an
# action this table does not list for the case's status and changes nothing. Ended
# statuses (recovered, rejected, closed) allow nothing. Correcting data changes no status.
TRANSITIONS: dict[str, dict[str, str]] = {
    Status.SUBMITTED: _REVIEW,
    Status.TRANSFERRED: _REVIEW,
    Status.ACCEPTED: {
        Action.REQUEST_RECOVERY: Status.RECOVERY_REQUESTED,
        Action.CONFIRM_RECOVERY: Status.RECOVERED,
        Action.TRANSFER: Status.TRANSFERRED,
        Action.CLOSE: Status.CLOSED,
    },
    Status.RECOVERY_REQUESTED: {
        Action.CONFIRM_RECOVERY: Status.RECOVERED,
        Action.REFUSE_RECOVERY: Status.ACCEPTED,
        Action.CLOSE: Status.CLOSED,
    },
}
# Actions of the commune's officials; the citizen's own step is declaring recovery.
OFFICIAL_ACTIONS = frozenset(Action) - {Action.REQUEST_RECOVERY}


class Outcome(models.TextChoices):
    RECOVERED = "recovered", _("Khỏi bệnh")
    HOSPITALISED = "hospitalised", _("Chuyển viện điều trị")
    DIED = "died", _("Tử vong")
    MOVED_AWAY = "moved_away", _("Chuyển khỏi địa bàn tỉnh")
    REJECTED = "rejected", _("Từ chối tiếp nhận")


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class IdType(models.TextChoices):
    """Stored values of the ID papers; what they are called on a day: `id_terms_on`."""

    CCCD = "cccd", _("Căn cước (số định danh cá nhân, 12 số)")
    CMND = "cmnd", _("Chứng minh nhân dân (9 số)")
    PASSPORT = "passport", _("Hộ chiếu")
    NONE = "none", _("Chưa có giấy tờ (trẻ em, người cao tuổi)")


@dataclass(frozen=True)
class IdTerm:
    """What an ID paper is called, on forms (`label`) and documents (`document_label`),
    from `valid_from` to `valid_until` (local dates, both included; None: open)."""

    id_type: str
    label: Any
    document_label: str
    valid_from: date | None = None
    valid_until: date | None = None

    def in_force(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_until is None or on <= self.valid_until
        )


# Source: Law on Identification 26/2023/QH15, in force from 1/7/2024: the card is
# "thẻ căn cước" and its 12 digits the "số định danh cá nhân" (Art. 3, 18); citizen ID
# cards issued before stay valid, and the 9-digit "chứng minh nhân dân" is valid until
# 31/12/2024 (Art. 46): a record made after that day cannot be declared with one.
IDENTIFICATION_LAW_FROM = date(2024, 7, 1)
CMND_VALID_UNTIL = date(2024, 12, 31)
ID_TERMS = (
    IdTerm(
        IdType.CCCD,
        _("Căn cước công dân (12 số)"),
        "Số căn cước công dân",
        valid_until=IDENTIFICATION_LAW_FROM - timedelta(days=1),
    ),
    IdTerm(
        IdType.CCCD,
        IdType.CCCD.label,
        "Số định danh cá nhân",
        valid_from=IDENTIFICATION_LAW_FROM,
    ),
    IdTerm(IdType.CMND, IdType.CMND.label, "Số chứng minh nhân dân", valid_until=CMND_VALID_UNTIL),
    IdTerm(IdType.PASSPORT, IdType.PASSPORT.label, "Số hộ chiếu"),
    IdTerm(IdType.NONE, IdType.NONE.label, ""),
)


def id_terms_on(on: date) -> list[IdTerm]:
    """The ID papers one may declare with on local date `on`, in the order of the form."""
    return [term for term in ID_TERMS if term.in_force(on)]


def id_type_choices(on: date) -> list[tuple[str, Any]]:
    """(value, label) of the ID papers in force on `on`: a form's choices."""
    return [(term.id_type.value, term.label) for term in id_terms_on(on)]


def id_document_label(id_type: str, on: date) -> str:
    """The ID paper's name printed on a document issued on `on` ("Số định danh cá nhân").

    A record made with a paper no longer in force keeps the name it had: the last term.
    """
    terms = [term for term in ID_TERMS if term.id_type == id_type]
    for term in terms:
        if term.in_force(on):
            return term.document_label
    return terms[-1].document_label if terms else ""


class TestType(models.TextChoices):
    RAPID_SELF = "rapid_self", _("Xét nghiệm nhanh kháng nguyên, tự làm")
    RAPID_FACILITY = "rapid_facility", _("Xét nghiệm nhanh kháng nguyên tại cơ sở y tế")
    RT_PCR = "rt_pcr", _("Xét nghiệm RT-PCR")


class TestedBy(models.TextChoices):
    SELF_SUPERVISED = "self_supervised", _("Tự làm, có nhân viên y tế giám sát trực tiếp/từ xa")
    SELF = "self", _("Tự làm")
    HEALTH_WORKER = "health_worker", _("Nhân viên y tế thực hiện")
    FACILITY = "facility", _("Cơ sở y tế / phòng xét nghiệm")


class Symptom(models.TextChoices):
    FEVER = "fever", _("Sốt")
    COUGH = "cough", _("Ho")
    SORE_THROAT = "sore_throat", _("Đau họng")
    RUNNY_NOSE = "runny_nose", _("Sổ mũi, nghẹt mũi")
    FATIGUE = "fatigue", _("Mệt mỏi")
    MUSCLE_ACHE = "muscle_ache", _("Đau mỏi người")
    HEADACHE = "headache", _("Đau đầu")
    SMELL_TASTE = "smell_taste", _("Mất vị giác hoặc khứu giác")
    DIARRHOEA = "diarrhoea", _("Tiêu chảy")
    BREATHLESSNESS = "breathlessness", _("Khó thở, thở gấp")
    CHEST_PAIN = "chest_pain", _("Đau tức ngực kéo dài")
    CONFUSION = "confusion", _("Lơ mơ, không tỉnh táo")
    CYANOSIS = "cyanosis", _("Tím tái môi, đầu ngón tay, ngón chân")


DANGER_SYMPTOMS = frozenset(
    {Symptom.BREATHLESSNESS, Symptom.CHEST_PAIN, Symptom.CONFUSION, Symptom.CYANOSIS}
)


class Comorbidity(models.TextChoices):
    DIABETES = "diabetes", _("Đái tháo đường")
    HYPERTENSION = "hypertension", _("Tăng huyết áp")
    HEART = "heart", _("Bệnh tim mạch")
    LUNG = "lung", _("Bệnh phổi mạn tính, hen suyễn")
    KIDNEY = "kidney", _("Bệnh thận mạn tính")
    LIVER = "liver", _("Bệnh gan mạn tính")
    CANCER = "cancer", _("Ung thư")
    IMMUNE = "immune", _("Suy giảm miễn dịch, dùng thuốc ức chế miễn dịch")
    OBESITY = "obesity", _("Béo phì")
    OTHER = "other", _("Bệnh nền khác")


class RiskFlag(models.TextChoices):
    DANGER = "danger", _("Dấu hiệu nguy hiểm")
    ELDERLY = "elderly", _("Từ 65 tuổi")
    PREGNANT = "pregnant", _("Đang mang thai")
    COMORBIDITY = "comorbidity", _("Có bệnh nền")
    UNVACCINATED = "unvaccinated", _("Chưa tiêm đủ liều vắc xin")
    LOW_SPO2 = "low_spo2", _("SpO2 thấp")
    FAST_BREATHING = "fast_breathing", _("Thở nhanh")


class RejectReason(models.TextChoices):
    UNREADABLE_PHOTO = "unreadable_photo", _("Ảnh kết quả xét nghiệm không rõ, không đọc được")
    NOT_RESIDENT = "not_resident", _("Không cư trú trên địa bàn")
    DUPLICATE = "duplicate", _("Trùng với hồ sơ đã có")
    INVALID_TEST = "invalid_test", _("Kết quả xét nghiệm không hợp lệ hoặc quá hạn")
    WRONG_INFORMATION = "wrong_information", _("Thông tin khai báo không đúng")
    OTHER = "other", _("Lý do khác")


class EventKind(models.TextChoices):
    DECLARED = "declared", _("Người dân khai báo nhiễm")
    ENROLLED = "enrolled", _("Cán bộ nhập hồ sơ")
    DECLARATION_LINKED = "declaration_linked", _("Khai báo bổ sung vào hồ sơ đang mở")
    ACCEPTED = "accepted", _("Xã tiếp nhận, bắt đầu cách ly")
    REJECTED = "rejected", _("Xã từ chối tiếp nhận")
    TRANSFERRED = "transferred", _("Chuyển sang xã khác")
    RECOVERY_REQUESTED = "recovery_requested", _("Người dân khai báo khỏi bệnh")
    RECOVERY_CONFIRMED = "recovery_confirmed", _("Xã xác nhận khỏi bệnh")
    RECOVERY_REFUSED = "recovery_refused", _("Xã từ chối xác nhận khỏi bệnh")
    CLOSED = "closed", _("Kết thúc theo dõi")
    CORRECTED = "corrected", _("Sửa thông tin hồ sơ")
    DOCUMENT_PREPARED = "document_prepared", _("Dự thảo văn bản")
    DOCUMENT_ISSUED = "document_issued", _("Ban hành văn bản")
    DOCUMENT_REVOKED = "document_revoked", _("Thu hồi văn bản")
    NOTE = "note", _("Ghi chú")
    DAILY_REPORT = "daily_report", _("Người dân báo cáo sức khỏe hằng ngày")
    DANGER_REPORTED = "danger_reported", _("Người dân báo dấu hiệu nguy hiểm")
    CALLED = "called", _("Đã gọi điện hỏi thăm")


# The timeline event each lifecycle action records (cases.lifecycle.transition).
ACTION_EVENTS: dict[str, str] = {
    Action.ACCEPT: EventKind.ACCEPTED,
    Action.REJECT: EventKind.REJECTED,
    Action.TRANSFER: EventKind.TRANSFERRED,
    Action.CLOSE: EventKind.CLOSED,
    Action.REQUEST_RECOVERY: EventKind.RECOVERY_REQUESTED,
    Action.CONFIRM_RECOVERY: EventKind.RECOVERY_CONFIRMED,
    Action.REFUSE_RECOVERY: EventKind.RECOVERY_REFUSED,
}
EVENT_ACTIONS: dict[str, str] = {kind: action for action, kind in ACTION_EVENTS.items()}
