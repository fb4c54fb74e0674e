from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("", views.example_list, name="list"),
    path("nytt/", views.example_edit, name="create"),
    path("<int:pk>/", views.example_detail, name="detail"),
    path("<int:pk>/andra/", views.example_edit, name="edit"),
    path("<int:pk>/granska/", views.example_review, name="review"),
]
