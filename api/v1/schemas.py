"""Shapes shared by several operation modules: a case in a list and in full, the
declared values."""

from datetime import date, datetime

from django.http import HttpResponse
from ninja import Field, Schema

from api.selectors import case_version
from api.v1.base import UnitOut, _unit, api
from api.v1.types import IsoDate, StrictBool, StrictFloat, StrictInt
from cases.choices import Comorbidity, IdType, Sex, Status, Symptom, TestType
from cases.models import Case
from core.masking import mask_id_number, mask_name, mask_phone


class CaseSummary(Schema):
    """A case as lists show it: personal data masked (core.masking)."""

    id: int
    tracking_code: str
    status: str = Field(description="cases.choices.Status value")
    status_label: str
    commune: UnitOut
    full_name: str = Field(description="masked: family name and initials")
    id_number: str = Field(description="masked: first 4 and last 2 characters")
    phone: str = Field(description="masked: first 3 and last 3 digits")
    positive_test_date: date
    submitted_at: datetime
    high_risk: bool
    has_danger_signs: bool


class CasePage(Schema):
    items: list[CaseSummary]
    next_cursor: str | None = Field(
        description="pass as `cursor` for the next page; null at the end"
    )


class CaseDetail(Schema):
    """A case as its page shows it to an official of its unit: personal data in full."""

    id: int
    tracking_code: str
    version: str = Field(description="the ETag; send it back as If-Match with an action")
    status: str
    status_label: str
    outcome: str
    commune: UnitOut
    full_name: str
    date_of_birth: date
    sex: str
    id_type: str
    id_number: str
    phone: str
    email: str
    village: str
    house_number: str
    test_type: str
    positive_test_date: date
    vaccine_doses: int
    symptoms: list[str]
    comorbidities: list[str]
    high_risk: bool
    has_danger_signs: bool
    isolation_end: date
    extended_isolation_end: date
    submitted_at: datetime
    accepted_at: datetime | None
    closed_at: datetime | None
    allowed_actions: list[str] = Field(description="official actions the case offers today")


class EnrolOut(CaseDetail):
    result: str = Field(description="created: a new case; linked: added to the open case")


def _summary(case: Case) -> dict:
    return {
        "id": case.pk,
        "tracking_code": case.tracking_code,
        "status": case.status,
        "status_label": str(Status(case.status).label),
        "commune": _unit(case.commune),
        "full_name": mask_name(case.full_name),
        "id_number": mask_id_number(case.id_number),
        "phone": mask_phone(case.phone),
        "positive_test_date": case.positive_test_date,
        "submitted_at": case.submitted_at,
        "high_risk": case.high_risk,
        "has_danger_signs": case.has_danger_signs,
    }


DETAIL_FIELDS = [
    *("full_name", "date_of_birth", "sex", "id_type", "id_number", "phone", "email"),
    *("village", "house_number", "test_type", "positive_test_date", "vaccine_doses"),
    *("symptoms", "comorbidities", "high_risk", "has_danger_signs", "isolation_end"),
    *("extended_isolation_end", "submitted_at", "accepted_at", "closed_at", "outcome"),
    "tracking_code",
]


def _detail(case: Case) -> dict:
    return {
        "id": case.pk,
        "version": case_version(case),
        "status": case.status,
        "status_label": str(Status(case.status).label),
        "commune": _unit(case.commune),
        "allowed_actions": sorted(case.allowed_actions()),
        **{name: getattr(case, name) for name in DETAIL_FIELDS},
    }


def _with_etag(request, case: Case, status: int = 200, extra: dict | None = None) -> HttpResponse:
    response = api.create_response(request, {**_detail(case), **(extra or {})}, status=status)
    response["ETag"] = case_version(case)
    response["Cache-Control"] = "private, no-store"
    return response


class Declaration(Schema):
    """The declared values, checked as the web form checks them (cases.forms.CaseFieldsForm).
    Dates as YYYY-MM-DD."""

    full_name: str = Field(min_length=1, max_length=100)
    date_of_birth: IsoDate
    sex: Sex
    id_type: IdType
    id_number: str = Field("", max_length=20)
    guardian_name: str = Field("", max_length=100)
    guardian_id_number: str = Field("", max_length=20)
    guardian_phone: str = Field("", max_length=15)
    phone: str = Field(min_length=1, max_length=15)
    email: str = Field("", max_length=254)
    village: str = Field(min_length=1, max_length=100)
    house_number: str = Field("", max_length=150)
    workplace: str = Field("", max_length=200)
    social_insurance_number: str = Field("", max_length=10)
    test_type: TestType
    test_place: str = Field("", max_length=200)
    positive_test_date: IsoDate
    vaccine_doses: int = Field(ge=0, le=4)
    last_dose_date: IsoDate | None = None
    symptoms: list[Symptom] = Field([], max_length=len(Symptom.values))
    symptom_onset_date: IsoDate | None = None
    spo2: int | None = Field(None, ge=50, le=100)
    breathing_rate: int | None = Field(None, ge=5, le=120)
    temperature: float | None = Field(None, ge=34, le=43)
    comorbidities: list[Comorbidity] = Field([], max_length=len(Comorbidity.values))
    pregnant: bool = False
    household_size: int | None = Field(None, ge=1, le=99)


class JsonDeclaration(Declaration):
    """The declared values in a JSON body: numbers and booleans as JSON gives them."""

    vaccine_doses: StrictInt = Field(ge=0, le=4)
    spo2: StrictInt | None = Field(None, ge=50, le=100)
    breathing_rate: StrictInt | None = Field(None, ge=5, le=120)
    temperature: StrictFloat | None = Field(None, ge=34, le=43)
    pregnant: StrictBool = False
    household_size: StrictInt | None = Field(None, ge=1, le=99)


def _form_data(values: dict) -> dict:
    data = {}
    for name, value in values.items():
        if value is None:
            data[name] = ""
        elif isinstance(value, bool):
            data[name] = "on" if value else ""
        elif isinstance(value, list):
            data[name] = value
        else:
            data[name] = str(value)
    return data
