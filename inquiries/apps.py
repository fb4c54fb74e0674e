from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = _("Inquiries")

    def ready(self) -> None:
        from members import cache, panels

        from .models import Answer, Dispatch, Inquiry, Outcome
        from .panel import open_dispatches_panel

        # Cached figures built from inquiries (the staff overview's map); bulk writes bump themselves.
        for model in (Inquiry, Dispatch, Answer, Outcome):
            cache.track(model, "inquiries")

        # First on a kommun's page: inquiries waiting for its answer, with days left.
        panels.register(
            panels.Panel(
                key="inquiries_open",
                template="inquiries/includes/open_dispatches_panel.html",
                context=open_dispatches_panel,
                order=10,
                topics=("inquiries",),
            )
        )
