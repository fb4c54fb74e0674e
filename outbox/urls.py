from django.urls import path

from . import views

app_name = "outbox"

urlpatterns = [
    path("logg/", views.delivery_log, name="log"),
    path("logg/<int:pk>/skicka-igen/", views.message_resend, name="resend"),
    path("installningar/", views.notification_settings, name="settings"),
    path("avregistrera/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
