from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("region/", views.report_region, name="region"),
    path("region/pdf/", views.report_region_pdf, name="region_pdf"),
    path("kommun/<str:code>/", views.report_kommun, name="kommun"),
    path("kommun/<str:code>/pdf/", views.report_kommun_pdf, name="kommun_pdf"),
]
