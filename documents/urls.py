from django.urls import path

from documents import public_views, views

app_name = "documents"
urlpatterns = [
    # Public: the QR code's page, and a citizen's download of their own documents.
    path("v/<str:token>/", public_views.verify, name="verify"),
    path("van-ban/<str:token>/tai-ve/", public_views.citizen_download, name="citizen_download"),
    # Officials.
    path("documents/pending/", views.pending, name="pending"),
    path("documents/batches/", views.batch_create, name="batch_create"),
    path("documents/batches/<int:pk>/", views.batch, name="batch"),
    path("documents/settings/", views.settings_view, name="settings"),
    path("documents/cases/<int:case_pk>/prepare/<str:kind>/", views.prepare, name="prepare"),
    path("documents/<int:pk>/draft.pdf", views.preview, name="preview"),
    path("documents/<int:pk>/download/", views.download, name="download"),
    path("documents/<int:pk>/issue/", views.issue, name="issue"),
    path("documents/<int:pk>/revoke/", views.revoke, name="revoke"),
]
