from django.urls import path

from public import document_views, views

app_name = "public"
urlpatterns = [
    path("khai-bao/", views.declare_start, name="declare_start"),
    path("khai-bao/thong-tin/", views.declare_form, name="declare_form"),
    path("khai-bao/kiem-tra/", views.declare_check, name="declare_check"),
    path("khai-bao/xac-minh-so-dien-thoai/", views.declare_phone, name="declare_phone"),
    path("khai-bao/da-gui/", views.declare_done, name="declare_done"),
    path("khai-bao/xa/", views.communes, name="communes"),
    path("tra-cuu/", views.status, name="status"),
    path("tra-cuu/quen-ma/", views.code_resend, name="code_resend"),
    # The personal status link of the SMS (cases.monitoring): short, it is in every SMS.
    path("ho-so/<str:token>/", views.status_link, name="status_link"),
    path("tra-cuu/<str:code>/", views.status_case, name="status_case"),
    path("khai-bao-khoi-benh/", views.recovery, name="recovery"),
    path("theo-doi/<str:token>/", views.daily_report, name="daily_report"),
    # A document's QR code leads here; a citizen downloads their own documents here.
    path("v/<str:token>/", document_views.verify, name="verify"),
    path("van-ban/<str:token>/tai-ve/", document_views.citizen_download, name="citizen_download"),
]
