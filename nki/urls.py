from django.urls import path

from . import views

app_name = "nki"

urlpatterns = [
    path("", views.index, name="index"),
]
