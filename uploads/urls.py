from django.urls import path

from uploads import views

app_name = "uploads"
urlpatterns = [
    path("preview/<str:token>/", views.preview, name="preview"),
]
