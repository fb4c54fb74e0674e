from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("ny/", views.activity_edit, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/andra/", views.activity_edit, name="edit"),
]
