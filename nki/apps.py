from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NkiConfig(AppConfig):
    name = "nki"
    verbose_name = _("NKI")
