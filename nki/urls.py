from django.urls import path

from . import views

app_name = "nki"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_upload, name="import"),
    path("kommun/<str:code>/", views.kommun, name="kommun"),
    path("omrade/<slug:code>/", views.area, name="area"),
]
