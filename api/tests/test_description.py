"""The description of the API (/api/v1/openapi.json): the operations it offers, under the
operation ids clients generated from it call, whichever module of api.v1 declares them."""

import pytest

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("GET", "/api/v1/cases", "api_v1_case_list"),
    ("POST", "/api/v1/cases", "api_v1_case_enrol"),
    ("GET", "/api/v1/cases/{case_id}", "api_v1_case_read"),
    ("POST", "/api/v1/cases/{case_id}/accept", "api_v1_case_accept_op"),
    ("POST", "/api/v1/cases/{case_id}/reject", "api_v1_case_reject_op"),
    ("POST", "/api/v1/cases/{case_id}/transfer", "api_v1_case_transfer_op"),
    ("POST", "/api/v1/cases/{case_id}/confirm-recovery", "api_v1_case_confirm_recovery_op"),
    ("PATCH", "/api/v1/cases/{case_id}", "api_v1_case_correct_op"),
    ("POST", "/api/v1/status", "api_v1_status_lookup"),
    ("GET", "/api/v1/documents/verify/{token}", "api_v1_document_verify"),
    ("POST", "/api/v1/declarations", "api_v1_declaration_submit"),
    ("POST", "/api/v1/recovery-declarations", "api_v1_recovery_submit"),
    ("GET", "/api/v1/cases/{case_id}/documents", "api_v1_case_documents"),
    ("POST", "/api/v1/cases/{case_id}/documents", "api_v1_document_prepare_op"),
    ("POST", "/api/v1/documents/{document_id}/issue", "api_v1_document_issue_op"),
    ("POST", "/api/v1/documents/{document_id}/revoke", "api_v1_document_revoke_op"),
    ("GET", "/api/v1/documents/{document_id}/pdf", "api_v1_document_pdf"),
    ("GET", "/api/v1/cases/{case_id}/daily-reports", "api_v1_case_daily_reports"),
    ("POST", "/api/v1/monitoring/{token}/reports", "api_v1_daily_report_submit_op"),
    ("GET", "/api/v1/figures", "api_v1_figures"),
    ("GET", "/api/v1/export/cases.ndjson", "api_v1_case_export"),
}


def test_the_description_lists_every_operation_under_its_stable_id(client):
    doc = client.get("/api/v1/openapi.json").json()
    listed = {
        (method.upper(), path, operation["operationId"])
        for path, methods in doc["paths"].items()
        for method, operation in methods.items()
    }
    assert listed == OPERATIONS
