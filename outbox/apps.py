from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """Ground-floor infrastructure: every e-mail the product sends is a row here first."""

    name = "outbox"
    verbose_name = _("E-mail outbox")
