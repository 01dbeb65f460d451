"""A case and its history as the case page shows them: labelled values, readable events."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.choices import Comorbidity, EventKind, IdType, Sex, Status, Symptom, TestedBy, TestType
from cases.models import Case, CaseEvent
from cases.services import CONTACT_FIELDS, HEALTH_FIELDS, IDENTITY_FIELDS, TEST_FIELDS

CHOICE_LABELS: dict[str, Any] = {
    "sex": Sex,
    "id_type": IdType,
    "test_type": TestType,
    "tested_by": TestedBy,
    "status": Status,
}
LIST_LABELS: dict[str, Any] = {
    "symptoms": Symptom,
    "comorbidities": Comorbidity,
    "remaining_symptoms": Symptom,
}

SECTIONS = (
    (gettext_lazy("Người mắc COVID-19"), IDENTITY_FIELDS),
    (gettext_lazy("Liên hệ và nơi ở"), CONTACT_FIELDS),
    (gettext_lazy("Xét nghiệm"), TEST_FIELDS),
    (gettext_lazy("Sức khỏe"), HEALTH_FIELDS),
)


def display_value(name: str, value: Any) -> str:
    """A stored value as a person reads it: labels for codes, dd/mm/yyyy dates, Có/Không."""
    if value is None or value == "" or value == []:
        return "—"
    if name in CHOICE_LABELS:
        try:
            return str(CHOICE_LABELS[name](value).label)
        except ValueError:
            return str(value)
    if name in LIST_LABELS:
        choices = LIST_LABELS[name]
        return ", ".join(str(choices(v).label) if v in choices.values else str(v) for v in value)
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (Decimal, float)):
        # 38,2 as the person typed it and as the citizen's pages show it.
        return formats.number_format(value, use_l10n=True)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


def field_label(name: str) -> str:
    try:
        label = str(Case._meta.get_field(name).verbose_name)
    except Exception:
        return name
    return label[:1].upper() + label[1:]


PHONE_FIELDS = ("phone", "guardian_phone")


def _shown(case: Case, name: str) -> bool:
    """Rows that apply to the person: the relative's only without papers; pregnancy only
    for a woman (the declaration form asks it of women only)."""
    if name in ("guardian_name", "guardian_id_number", "guardian_phone"):
        return case.id_type == IdType.NONE
    if name == "pregnant":
        return case.sex == Sex.FEMALE
    return True


def case_sections(case: Case) -> list[dict]:
    return [
        {
            "title": title,
            "rows": [
                {
                    "label": field_label(name),
                    "value": display_value(name, getattr(case, name)),
                    # Phones are tap-to-call on the officer's phone.
                    "tel": getattr(case, name) if name in PHONE_FIELDS else "",
                }
                for name in names
                if _shown(case, name)
            ],
        }
        for title, names in SECTIONS
    ]


@dataclass
class TimelineEntry:
    event: CaseEvent
    label: str
    details: list[dict] = field(default_factory=list)
    photo_ids: list[int] = field(default_factory=list)


def timeline(case: Case) -> list[TimelineEntry]:
    """Every event of the case, oldest first, with what each one carried."""
    entries = []
    for event in case.events.order_by("at", "pk"):
        entry = TimelineEntry(event=event, label=str(EventKind(event.kind).label))
        data = event.data or {}
        if event.kind == EventKind.DECLARATION_LINKED:
            declared = data.get("declared", {})
            entry.details = [
                {"label": field_label(name), "value": display_value(name, value)}
                for name, value in declared.items()
                if value not in (None, "", [])
            ]
            entry.photo_ids = [p for p in (data.get("test_photo_id"), data.get("id_photo_id")) if p]
        elif event.kind == EventKind.CORRECTED:
            entry.details = [
                {
                    "label": field_label(name),
                    "value": _("%(old)s → %(new)s")
                    % {
                        "old": display_value(name, change.get("old")),
                        "new": display_value(name, change.get("new")),
                    },
                }
                for name, change in data.get("changes", {}).items()
            ]
        elif event.kind == EventKind.TRANSFERRED:
            entry.details = [
                {
                    "label": _("Từ"),
                    "value": data.get("from_commune", ""),
                },
                {"label": _("Đến"), "value": data.get("to_commune", "")},
            ]
        elif event.kind == EventKind.RECOVERY_REQUESTED and data.get("negative_test_date"):
            entry.details = [
                {
                    "label": _("Ngày xét nghiệm âm tính"),
                    "value": display_value("negative_test_date", data["negative_test_date"]),
                }
            ]
        entries.append(entry)
    return entries


def format_datetime(value) -> str:
    return formats.date_format(value, "d/m/Y H:i") if value else ""
