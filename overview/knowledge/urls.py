from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("", views.example_list, name="list"),
    path("nytt/", views.example_edit, name="create"),
    path("<int:pk>/", views.example_detail, name="detail"),
    path("<int:pk>/andra/", views.example_edit, name="edit"),
    path("<int:pk>/granska/", views.example_review, name="review"),
    path("grupper/", views.group_list, name="group_list"),
    path("grupper/ny/", views.group_edit, name="group_create"),
    path("grupper/<int:pk>/", views.group_detail, name="group_detail"),
    path("grupper/<int:pk>/andra/", views.group_edit, name="group_edit"),
    path("grupper/<int:pk>/mote/", views.group_meeting_add, name="group_meeting_add"),
]
