from django.urls import include, path

from . import views

app_name = "overview"

maturity_patterns = (
    [
        path("", views.maturity_region, name="region"),
        path("bedomning/<int:pk>/", views.assessment_detail, name="assessment"),
        path("bedomning/<int:pk>/bekrafta/", views.assessment_confirm, name="assessment_confirm"),
        path("<str:code>/", views.maturity_kommun, name="kommun"),
        path("<str:code>/<str:track>/ny/", views.assessment_create, name="assessment_create"),
    ],
    "maturity",
)

dialog_patterns = (
    [
        path("", views.dialog_list, name="list"),
        path("ny/", views.dialog_edit, name="create"),
        path("kontakt/", views.contact_list, name="contacts"),
        path("uppfoljningar/", views.follow_up_list, name="follow_ups"),
        path("uppfoljningar/<int:pk>/klar/", views.follow_up_done, name="follow_up_done"),
        path("<int:pk>/", views.dialog_detail, name="detail"),
        path("<int:pk>/andra/", views.dialog_edit, name="edit"),
        path("<int:pk>/uppfoljning/", views.follow_up_add, name="follow_up_add"),
    ],
    "dialog",
)

report_patterns = (
    [
        path("", views.report_index, name="index"),
        path("region/", views.report_region, name="region"),
        path("kommun/<str:code>/", views.report_kommun, name="kommun"),
    ],
    "reports",
)

urlpatterns = [
    path("", views.index, name="index"),
    path("mognad/", include(maturity_patterns)),
    path("dialog/", include(dialog_patterns)),
    path("rapporter/", include(report_patterns)),
]
