from django.urls import path

from guides import views

app_name = "guides"
urlpatterns = [
    path("huong-dan/", views.index, name="index"),
    path("huong-dan/<slug:slug>/", views.guide, name="guide"),
]
