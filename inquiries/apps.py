from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = _("Inquiries")

    def ready(self) -> None:
        from members import cache, panels

        from .models import Answer, Attachment, Dispatch, Inquiry, Outcome
        from .panel import open_dispatches_panel
        from .selectors import answer_inbox_topics, inbox_topic

        # Cached pages and figures built from inquiries; bulk writes bump themselves (services).
        # A dispatch or answer also retires its kommun's inbox; an inquiry or outcome every inbox.
        cache.track(Inquiry, "inquiries", "inquiry-records")
        cache.track(Outcome, "inquiries", "inquiry-records")
        cache.track(Dispatch, "inquiries", per_row=lambda d: [inbox_topic(d.kommun_id)])
        cache.track(Answer, "inquiries", per_row=answer_inbox_topics)
        cache.track(Attachment, "inquiries")

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
