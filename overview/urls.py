from django.urls import include, path

from . import views

app_name = "overview"

urlpatterns = [
    path("", views.index, name="index"),
    path("mognad/", include("overview.maturity.urls")),
    path("dialog/", include("overview.dialog.urls")),
    path("rapporter/", include("overview.reports.urls")),
    path("goda-exempel/", include("overview.knowledge.urls")),
    path("aktiviteter/", include("overview.activities.urls")),
]
