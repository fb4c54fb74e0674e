from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NkiConfig(AppConfig):
    name = "nki"
    verbose_name = _("NKI")

    def ready(self) -> None:
        from members import panels
        from members.cache import Topic

        from . import selectors

        # The kommun's page (members) shows its latest NKI per area against the SBA average.
        panels.register(
            panels.Panel(
                key="nki",
                template="nki/panel.html",
                context=lambda request, kommun: selectors.kommun_panel(kommun=kommun),
                topics=(Topic.NKI, Topic.REGISTER),
                order=30,
            )
        )
