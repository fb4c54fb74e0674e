from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NkiConfig(AppConfig):
    name = "nki"
    verbose_name = _("NKI")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

        from members import panels
        from members.cache import Topic

        from . import selectors, signals
        from .models import NkiResult

        pre_save.connect(signals.result_saving, sender=NkiResult, dispatch_uid="nki-coverage-saving")
        post_save.connect(signals.result_saved, sender=NkiResult, dispatch_uid="nki-coverage-saved")
        pre_delete.connect(signals.result_deleting, sender=NkiResult, dispatch_uid="nki-coverage-deleting")
        post_delete.connect(signals.result_deleted, sender=NkiResult, dispatch_uid="nki-coverage-deleted")

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
