"""The API fuzzed from its own OpenAPI description (schemathesis): no server error, no
status code or response body the description does not give, whichever commune's key
calls, and the authorization checks schemathesis makes (a call without the key or with a
wrong one must be refused)."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Role
from api.tests.helpers import key_for
from cases.testing import make_case
from config.wsgi import application

# Operations whose service refuses with 400 some requests the description allows: rules a
# JSON schema cannot say. A 400 from them is a refusal naming the field, not a description
# that says too little.
RULES_BEYOND_SCHEMA = {
    # cases.forms.CaseFieldsForm: the ID number matches the birth date and sex, no date in
    # the future or before birth, a test not older than the rule set allows, a guardian for
    # a child; the phone is a Vietnamese mobile number.
    "POST /api/v1/cases",
    "POST /api/v1/declarations",
    # public.forms.RecoveryForm: the negative test after the positive one, not in the future.
    "POST /api/v1/recovery-declarations",
    # cases.services.monitoring.daily_report_submit: «fine» alone, or something reported.
    "POST /api/v1/monitoring/{token}/reports",
    # A correction is checked with the case's other values (cases.forms.CaseFieldsForm), and
    # names only the correctable fields.
    "PATCH /api/v1/cases/{case_id}",
    # The commune transferred to must exist in the case's set of units.
    "POST /api/v1/cases/{case_id}/transfer",
    # An opaque cursor is one the list gave.
    "GET /api/v1/cases",
    "GET /api/v1/export/cases.ndjson",
}


def positive_data_accepted(ctx, response, case):
    """schemathesis's positive_data_acceptance, a field-naming 400 of RULES_BEYOND_SCHEMA
    aside."""
    if (
        response.status_code == 400
        and case.operation.label in RULES_BEYOND_SCHEMA
        and response.json().get("field")
    ):
        return None
    return positive_data_acceptance(ctx, response, case)


# What the issue asks: no server error, no undocumented status, responses that match their
# schemas, refused calls without a valid key (ignored_auth), schema-valid requests accepted
# and schema-violating ones refused.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
    positive_data_accepted,
    negative_data_rejection,
]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
# A version read long ago (412) or none sent (428) is a precondition, not a refusal of the
# data sent.
schema.config.checks.positive_data_acceptance.expected_statuses = [
    *schema.config.checks.positive_data_acceptance.expected_statuses,
    "412",
    "428",
]


@pytest.fixture(autouse=True)
def kept_connection(db, settings):
    """The WSGI handler closes the connection after each request, which would end the
    test's transaction; Django's own test client keeps it open the same way."""
    settings.RATELIMIT_ENABLED = False
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def commune_keys(sysadmin, commune_a, commune_b):
    """Keys of commune A and of commune B, each commune holding a case of its own."""
    make_case(commune_a)
    make_case(commune_b)
    return [key_for(sysadmin, Role.COMMUNE_OFFICER, unit)[1] for unit in (commune_a, commune_b)]


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_description(case, commune_keys):
    for key in commune_keys:
        case.call_and_validate(headers={"Authorization": key}, checks=CHECKS)
