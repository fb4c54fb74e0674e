from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = _("Inquiries")

    def ready(self) -> None:
        from members import panels
        from members.cache import Topic

        from .panel import open_dispatches_panel

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
