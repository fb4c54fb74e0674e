"""Swedish names for the third-party sections of Django admin.

Axes, django-otp and django-celery-beat ship no Swedish translation (and otp_totp not even a
translatable name), so their admin sections would read "Axes", "Otp_Totp" and "Periodic Tasks" in
a Swedish portal. Each app is installed through one of the AppConfigs below (settings.INSTALLED_APPS),
which names it; the model names they do mark for translation are translated in the project's own
catalog (locale/sv), listed in THIRD_PARTY_MSGIDS so that `make messages` keeps them.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_celery_beat.apps import BeatConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpConfig

THIRD_PARTY_MSGIDS = (
    # axes
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    # django_celery_beat
    gettext_noop("solar event"),
    gettext_noop("solar events"),
    gettext_noop("interval"),
    gettext_noop("intervals"),
    gettext_noop("clocked"),
    gettext_noop("crontab"),
    gettext_noop("crontabs"),
    gettext_noop("periodic task track"),
    gettext_noop("periodic task tracks"),
    gettext_noop("periodic task"),
    gettext_noop("periodic tasks"),
)


class PortalAxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in attempts and lockouts")


class PortalTotpConfig(TotpConfig):
    verbose_name = _("Two-step sign-in")

    def ready(self) -> None:
        super().ready()
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # The model names itself in plain English ("TOTP device"), out of reach of translation.
        TOTPDevice._meta.verbose_name = _("authenticator app")
        TOTPDevice._meta.verbose_name_plural = _("authenticator apps")


class PortalBeatConfig(BeatConfig):
    verbose_name = _("Scheduled tasks")
