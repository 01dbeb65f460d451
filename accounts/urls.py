from django.urls import path

from accounts import two_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("", views.home, name="home"),
    path("workspace/", views.workspace, name="workspace"),
    path("password/", views.password_change, name="password_change"),
    path("two-factor/", two_factor_views.two_factor, name="two_factor"),
    path("thong-bao/", views.digest_settings, name="digest_settings"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/reset-password/", views.user_reset_password, name="user_reset_password"),
    path(
        "users/<int:pk>/reset-two-factor/",
        two_factor_views.user_reset_two_factor,
        name="user_reset_two_factor",
    ),
    path("provision/", views.provision, name="provision"),
    path("provision/<int:pk>/", views.provision_job, name="provision_job"),
    path("provision/<int:pk>/progress/", views.provision_progress, name="provision_progress"),
    path(
        "provision/<int:pk>/handover.<str:fmt>", views.handover_download, name="handover_download"
    ),
    path("provision/disable-unit/", views.unit_disable, name="unit_disable"),
]
