from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NkiConfig(AppConfig):
    name = "nki"
    verbose_name = _("NKI")

    def ready(self) -> None:
        from members import cache, panels

        from . import selectors
        from .models import MethodBreak, NkiResult, ReferenceValue, ServiceArea

        # Cached NKI tables are built from these; the import writes results in bulk and bumps itself.
        for model in (NkiResult, ReferenceValue, MethodBreak, ServiceArea):
            cache.track(model, "nki")

        # The kommun's page (members) shows its latest NKI per area against the SBA average.
        panels.register(
            panels.Panel(
                key="nki",
                template="nki/panel.html",
                # Public figures, the same for every reader: cached until the next NKI or register write.
                context=lambda request, kommun: cache.get_or_build(
                    "nki-kommun-panel",
                    kommun.pk,
                    topics=("nki", "register"),
                    by_date=True,
                    build=lambda: selectors.kommun_panel(kommun=kommun),
                ),
                order=30,
                topics=("nki", "register"),
            )
        )
