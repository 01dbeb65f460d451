from django.urls import path

from backoffice.views import case, inbox, monitoring, rules, work

app_name = "backoffice"
urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("transferred/", inbox.transferred_out, name="transferred"),
    path("cases/new/", work.enrol, name="enrol"),
    path("cases/<int:pk>/", case.case_detail, name="case"),
    path("cases/<int:pk>/photos/<int:upload_id>/", case.case_photo, name="case_photo"),
    path("cases/<int:pk>/accept/", case.case_accept, name="case_accept"),
    path("cases/<int:pk>/reject/", case.case_reject, name="case_reject"),
    path("cases/<int:pk>/transfer/", case.case_transfer, name="case_transfer"),
    path("cases/<int:pk>/close/", case.case_close, name="case_close"),
    path(
        "cases/<int:pk>/recovery/confirm/",
        case.case_confirm_recovery,
        name="case_confirm_recovery",
    ),
    path("cases/<int:pk>/recovery/refuse/", case.case_refuse_recovery, name="case_refuse_recovery"),
    path("cases/<int:pk>/correct/", case.case_correct, name="case_correct"),
    path("cases/<int:pk>/called/", monitoring.case_called, name="case_called"),
    path("not-reporting/", monitoring.not_reporting, name="not_reporting"),
    path("bulk/", work.bulk_create, name="bulk"),
    path("import/", work.import_start, name="import"),
    path("import/template.xlsx", work.import_template, name="import_template"),
    path("jobs/", work.job_list, name="jobs"),
    path("jobs/<int:pk>/", work.job_detail, name="job"),
    path("jobs/<int:pk>/progress/", work.job_progress, name="job_progress"),
    path("jobs/<int:pk>/confirm/", work.job_confirm, name="job_confirm"),
    path("jobs/<int:pk>/cancel/", work.job_cancel, name="job_cancel"),
    path("jobs/<int:pk>/error-rows.xlsx", work.import_error_rows, name="import_error_rows"),
    path("rules/", rules.rule_list, name="rules"),
    path("rules/new/", rules.rule_create, name="rule_create"),
    path("rules/<int:pk>/", rules.rule_detail, name="rule"),
    path("rules/<int:pk>/edit/", rules.rule_edit, name="rule_edit"),
]
