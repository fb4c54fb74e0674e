from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from members import views as member_views
from members.forms import EmailAuthenticationForm

from .health import healthz, live, ready
from .views import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("healthz/live", live, name="healthz_live"),
    path("healthz/ready", ready, name="healthz_ready"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/login/", auth_views.LoginView.as_view(form_class=EmailAuthenticationForm), name="login"),
    path("konto/password_reset/", member_views.RateLimitedPasswordResetView.as_view(), name="password_reset"),
    path("konto/", include("django.contrib.auth.urls")),
    path(
        "inbjudan/<str:uidb64>/<str:token>/",
        member_views.accept_invitation,
        name="accept_invitation",
    ),
    path("", include("members.urls")),
    path("forfragningar/", include("inquiries.urls")),
    path("nki/", include("nki.urls")),
    path("enkat/", include("surveys.urls")),
    path("oversikt/", include("overview.urls")),
    path("e-post/", include("outbox.urls")),
    path("personuppgifter/", include("privacy.urls")),
    path("admin/", admin.site.urls),
]

# The portal's own error pages; a lost database connection answers 503 (sba_portal/errors.py).
handler500 = "sba_portal.errors.server_error"

# The benchmark's floor view (bench/run.py): only when BENCH_FLOOR=1 is set, so it is never in
# production nor in the test suite's resolver (the access crawler needs a rule for every URL).
if settings.BENCH_FLOOR:
    from .floor import floor, floor_signed_in

    urlpatterns.append(path("bench-floor/", floor, name="bench_floor"))
    urlpatterns.append(path("bench-floor/signed-in/", floor_signed_in, name="bench_floor_signed_in"))
