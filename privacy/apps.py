from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data: the register of processing, one person's data out, corrected or erased, and
    retention. Stands above the features (it reads every app's models), beside the digests."""

    name = "privacy"
    verbose_name = _("Personal data")
