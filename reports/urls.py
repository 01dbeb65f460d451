from django.urls import path

from reports.views import audit, dashboard, exports, public, service

app_name = "reports"
urlpatterns = [
    path("reports/", dashboard.dashboard, name="dashboard"),
    path("reports/units/<int:unit_id>/", dashboard.dashboard, name="unit_dashboard"),
    path("reports/units/<int:unit_id>/cases/", dashboard.case_list, name="case_list"),
    path("reports/service-levels/", service.service_level_view, name="service_levels"),
    path(
        "reports/units/<int:unit_id>/service-levels/",
        service.service_level_view,
        name="unit_service_levels",
    ),
    path("reports/exports/", exports.exports, name="exports"),
    path("reports/exports/new/<slug:slug>/", exports.export_start, name="export_start"),
    path("reports/exports/<uuid:job_id>/", exports.export_job, name="export_job"),
    path(
        "reports/exports/<uuid:job_id>/download/",
        exports.export_download,
        name="export_download",
    ),
    path("reports/audit/", audit.audit_list, name="audit"),
    path("reports/audit/export/", audit.audit_export, name="audit_export"),
    path("thong-ke/", public.public_statistics, name="public_statistics"),
]
