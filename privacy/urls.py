from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.register_page, name="register"),
    path("personer/", views.people, name="people"),
    path("person/", views.person, name="person"),
    path("person/radera/", views.person_erase, name="erase"),
    path("person/ratta/", views.person_correct, name="correct"),
    path("gallring/", views.retention, name="retention"),
    path("gallring/kor/", views.retention_run, name="retention_run"),
    path("logg/", views.audit_log, name="audit"),
]
