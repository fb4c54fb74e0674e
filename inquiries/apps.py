from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = _("Inquiries")

    def ready(self) -> None:
        from members import panels
        from members.cache import Topic
        from outbox import kinds

        from .notifications import KIND_LABELS
        from .panel import open_dispatches_panel

        # Labels for the e-mail log and the unsubscribe page. Optional, as they have always been
        # (the e-mail carries an unsubscribe link), but not offered on the settings page: no
        # audience chooses them there.
        for order, (code, label) in enumerate(KIND_LABELS.items(), start=20):
            kinds.register(kinds.Kind(code=code, label=label, audiences=frozenset(), order=order))

        # First on a kommun's page: inquiries waiting for its answer, with days left.
        panels.register(
            panels.Panel(
                key="inquiries_open",
                template="inquiries/includes/open_dispatches_panel.html",
                context=open_dispatches_panel,
                topics=(Topic.INQUIRIES,),
                order=10,
            )
        )
