from django.urls import path

from . import fact_views, profile_views, two_factor, views

app_name = "members"

urlpatterns = [
    path("kommuner/", views.kommun_list, name="kommun_list"),
    path("min-kommun/", views.my_kommun, name="my_kommun"),
    path("kommuner/<str:code>/", views.kommun_detail, name="kommun_detail"),
    path("kommuner/<str:code>/historik/", views.kommun_history, name="kommun_history"),
    path("kommuner/<str:code>/kontakter/ny/", views.contact_create, name="contact_create"),
    path("kommuner/<str:code>/kontakter/<int:pk>/", views.contact_edit, name="contact_edit"),
    path("kommuner/<str:code>/kontakter/<int:pk>/ta-bort/", views.contact_delete, name="contact_delete"),
    path("kommuner/<str:code>/kontakter/<int:pk>/aktivera/", views.contact_reactivate, name="contact_reactivate"),
    path("kommuner/<str:code>/medlemskap/nytt/", views.membership_edit, name="membership_create"),
    path("kommuner/<str:code>/medlemskap/<int:pk>/", views.membership_edit, name="membership_edit"),
    path("kommuner/<str:code>/medlemskap/<int:pk>/ta-bort/", views.membership_delete, name="membership_delete"),
    path("kommuner/<str:code>/folkmangd/ny/", views.population_edit, name="population_create"),
    path("kommuner/<str:code>/folkmangd/<int:pk>/", views.population_edit, name="population_edit"),
    path("avtalsperioder/", views.period_list, name="period_list"),
    path("avtalsperioder/ny/", views.period_edit, name="period_create"),
    path("avtalsperioder/<int:pk>/", views.period_edit, name="period_edit"),
    path("folkmangd/import/", views.population_import, name="population_import"),
    path("anvandare/", views.user_list, name="user_list"),
    path("anvandare/bjud-in/", views.user_invite, name="user_invite"),
    path("anvandare/<int:pk>/bjud-in-igen/", views.user_reinvite, name="user_reinvite"),
    path("anvandare/<int:pk>/aktiv/", views.user_set_active, name="user_set_active"),
    path("konto/", views.account, name="account"),
    path("konto/tvastegsinloggning/", two_factor.setup, name="two_factor_setup"),
    path("konto/tvastegsinloggning/stang-av/", two_factor.disable, name="two_factor_disable"),
    # Investment profile and sites (mark/tomter)
    path("kommuner/<str:code>/profil/", profile_views.profile_edit, name="profile_edit"),
    path("kommuner/<str:code>/mark/ny/", profile_views.site_edit, name="site_create"),
    path("kommuner/<str:code>/mark/<int:pk>/", profile_views.site_edit, name="site_edit"),
    path("kommuner/<str:code>/mark/<int:pk>/ta-bort/", profile_views.site_delete, name="site_delete"),
    path("kommuner/<str:code>/mark/<int:pk>/bekrafta/", profile_views.site_confirm, name="site_confirm"),
    # Premises (lokaler)
    path("kommuner/<str:code>/lokaler/ny/", profile_views.premises_edit, name="premises_create"),
    path("kommuner/<str:code>/lokaler/<int:pk>/", profile_views.premises_edit, name="premises_edit"),
    path("kommuner/<str:code>/lokaler/<int:pk>/ta-bort/", profile_views.premises_delete, name="premises_delete"),
    path("kommuner/<str:code>/lokaler/<int:pk>/bekrafta/", profile_views.premises_confirm, name="premises_confirm"),
    # Facts and fact sheets
    path("kommuner/<str:code>/fakta/", fact_views.fact_sheet, name="fact_sheet"),
    path("kommuner/<str:code>/fakta/pdf/", fact_views.fact_sheet_pdf, name="fact_sheet_pdf"),
    path("kommuner/<str:code>/fakta/ny/", fact_views.fact_edit, name="fact_create"),
    path("kommuner/<str:code>/fakta/<int:pk>/", fact_views.fact_edit, name="fact_edit"),
    path("fakta/region/", fact_views.region_sheet, name="region_sheet"),
    path("fakta/region/pdf/", fact_views.region_sheet_pdf, name="region_sheet_pdf"),
    path("fakta/import/", fact_views.fact_import, name="fact_import"),
    path("fakta/dela/", fact_views.share_create, name="fact_share_create"),
    path("fakta/dela/<int:pk>/aterkalla/", fact_views.share_revoke, name="fact_share_revoke"),
    path("fakta/delad/<str:token>/", fact_views.shared_sheet, name="fact_shared"),
]
