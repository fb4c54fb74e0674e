from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("ny/", views.survey_edit, name="create"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/andra/", views.survey_edit, name="edit"),
    path("<int:pk>/fragor/ny/", views.question_edit, name="question_create"),
    path("<int:pk>/fragor/<int:question_pk>/", views.question_edit, name="question_edit"),
    path("<int:pk>/atgard/<str:action>/", views.survey_action, name="action"),
    path("<int:pk>/resultat/", views.survey_results, name="results"),
    path("svar/<str:token>/", views.answer, name="answer"),
    path("tack/", views.answer_done, name="done"),
]
