from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("region/", views.report_region, name="region"),
    path("kommun/<str:code>/", views.report_kommun, name="kommun"),
]
