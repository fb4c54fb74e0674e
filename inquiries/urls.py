from django.urls import path

from . import views

app_name = "inquiries"

urlpatterns = [
    # Staff: the list; a kommun user: the inbox.
    path("", views.index, name="index"),
    path("ny/", views.inquiry_create, name="create"),
    path("<int:pk>/", views.inquiry_detail, name="detail"),
    path("<int:pk>/andra/", views.inquiry_edit, name="edit"),
    path("<int:pk>/status/", views.inquiry_status, name="status"),
    path("<int:pk>/utfall/", views.outcome_edit, name="outcome"),
    path("utskick/<int:pk>/", views.dispatch_detail, name="dispatch"),
    path("utskick/<int:pk>/<slug:action>/", views.dispatch_action, name="dispatch_action"),
    path("bilagor/<int:pk>/", views.attachment_download, name="attachment"),
    path("bilagor/<int:pk>/ta-bort/", views.attachment_delete, name="attachment_delete"),
    path("statistik/", views.insight, name="insight"),
    path("export/<slug:kind>.<slug:fmt>", views.export, name="export"),
]
