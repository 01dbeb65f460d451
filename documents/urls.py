from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    # Officials; the public pages of documents (verification, a citizen's download) are
    # screens of the public app.
    path("documents/pending/", views.pending, name="pending"),
    path("documents/batches/", views.batch_create, name="batch_create"),
    path("documents/batches/<int:pk>/", views.batch, name="batch"),
    path("documents/batches/<int:pk>/confirm/", views.batch_confirm, name="batch_confirm"),
    path("documents/batches/<int:pk>/cancel/", views.batch_cancel, name="batch_cancel"),
    path(
        "documents/batches/<int:pk>/download.<str:fmt>",
        views.batch_download,
        name="batch_download",
    ),
    path("documents/settings/", views.settings_view, name="settings"),
    path("documents/outreach/", views.outreach_kit, name="outreach"),
    path("documents/cases/<int:case_pk>/prepare/<str:kind>/", views.prepare, name="prepare"),
    path(
        "documents/cases/<int:case_pk>/issue-in-order/",
        views.issue_in_order,
        name="issue_in_order",
    ),
    path("documents/<int:pk>/draft.pdf", views.preview, name="preview"),
    path("documents/<int:pk>/download/", views.download, name="download"),
    path("documents/<int:pk>/issue/", views.issue, name="issue"),
    path("documents/<int:pk>/revoke/", views.revoke, name="revoke"),
]
