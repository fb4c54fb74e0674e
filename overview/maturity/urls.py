from django.urls import path

from . import views

app_name = "maturity"

urlpatterns = [
    path("", views.maturity_region, name="region"),
    path("bedomning/<int:pk>/", views.assessment_detail, name="assessment"),
    path("bedomning/<int:pk>/bekrafta/", views.assessment_confirm, name="assessment_confirm"),
    path("svar/<int:pk>/beslut/", views.answer_decide, name="answer_decide"),
    path("<str:code>/", views.maturity_kommun, name="kommun"),
    path("<str:code>/<str:track>/ny/", views.assessment_create, name="assessment_create"),
]
