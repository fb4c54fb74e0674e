from django.urls import path

from . import views

app_name = "dialog"

urlpatterns = [
    path("", views.dialog_list, name="list"),
    path("ny/", views.dialog_edit, name="create"),
    path("kontakt/", views.contact_list, name="contacts"),
    path("uppfoljningar/", views.follow_up_list, name="follow_ups"),
    path("uppfoljningar/<int:pk>/klar/", views.follow_up_done, name="follow_up_done"),
    path("<int:pk>/", views.dialog_detail, name="detail"),
    path("<int:pk>/andra/", views.dialog_edit, name="edit"),
    path("<int:pk>/uppfoljning/", views.follow_up_add, name="follow_up_add"),
]
