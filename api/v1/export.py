"""The export of a unit's cases for national reporting."""

from datetime import date, datetime

from django.http import StreamingHttpResponse
from ninja import Field, Query, Schema

from api.v1.base import AUTH, AUTHED, _problem_codes, api
from api.v1.cases import CaseFilters, filtered
from audit.services import audit_log
from cases.selectors import cases_visible_to

# --- Export for national reporting ----------------------------------------------------------


class ExportLine(Schema):
    """One line of the export: one case, as national reporting takes it."""

    tracking_code: str
    status: str
    outcome: str
    province: str = Field(description="GSO code")
    district: str | None = Field(description="GSO code")
    commune: str = Field(description="GSO code")
    full_name: str
    date_of_birth: date
    sex: str
    id_type: str
    id_number: str
    phone: str
    test_type: str
    positive_test_date: date
    vaccine_doses: int
    high_risk: bool
    submitted_at: datetime
    accepted_at: datetime | None
    closed_at: datetime | None


EXPORT_FIELDS = [
    name for name in ExportLine.model_fields if name not in ("province", "district", "commune")
]


@api.get(
    "/export/cases.ndjson",
    auth=AUTH,
    response=_problem_codes(*AUTHED),
    tags=["cases"],
    summary="Every case in the caller's unit as newline-delimited JSON, streamed",
    openapi_extra={
        "responses": {
            "200": {
                "description": "one ExportLine per line, oldest case first",
                "content": {
                    "application/x-ndjson": {"schema": {"$ref": "#/components/schemas/ExportLine"}}
                },
            }
        }
    },
)
def case_export(request, filters: Query[CaseFilters]):
    """Streamed in pages of 2,000 rows (constant memory at any size); the same filters as
    the list, `cursor` and `limit` aside. Audited as `case.export` with the filters."""
    user = request.auth
    cases = cases_visible_to(user)
    cases = filtered(cases, filters)
    audit_log(
        action="case.export",
        request=request,
        actor=user,
        unit=user.unit,
        detail={"format": "ndjson", **filters.dict(exclude={"cursor", "limit"}, mode="json")},
    )
    rows = cases.order_by("submitted_at", "pk").values_list(
        "province__code", "district__code", "commune__code", *EXPORT_FIELDS
    )

    def lines():
        for province, district, commune, *values in rows.iterator(chunk_size=2000):
            line = ExportLine(
                province=province,
                district=district,
                commune=commune,
                **dict(zip(EXPORT_FIELDS, values, strict=True)),
            )
            yield line.model_dump_json().encode() + b"\n"

    response = StreamingHttpResponse(lines(), content_type="application/x-ndjson")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'attachment; filename="cases.ndjson"'
    return response
