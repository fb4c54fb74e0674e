from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from . import cache, signals  # noqa: F401  (signals: sign-in logging)
        from .models import (
            AgreementPeriod,
            Contact,
            Kommun,
            KommunProfile,
            Lan,
            Membership,
            Population,
            Sector,
            Site,
            User,
        )

        # The register (names, län, who is a member, population) behind cached tables and figures.
        for model in (Kommun, Lan, Membership, AgreementPeriod, Population):
            cache.track(model, "register")
        cache.track(Contact, "contacts")
        # Member profiles and sites, which inquiries are rated against.
        for model in (KommunProfile, Site, Sector):
            cache.track(model, "profiles")
        cache.track(User, "users")  # names shown in cached lists (responsible staff)
