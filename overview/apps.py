from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    """What combines the floors below: the staff overview and map, maturity, the dialog log, reports.

    One package per feature (maturity/, dialog/, reports/); the staff overview itself at the top
    (views.py, selectors.py, measures.py, map.py). See docs/CONTRIBUTING.md.
    """

    name = "overview"
    verbose_name = _("Overview")

    def ready(self) -> None:
        from members import panels
        from members.cache import Topic

        from . import selectors

        # members/ may not import the overview, yet a kommun's page shows its maturity and last meeting.
        panels.register(
            panels.Panel(
                "overview_maturity",
                "overview/includes/kommun_panel.html",
                selectors.kommun_panel_for,
                topics=(Topic.MATURITY, Topic.DIALOG, Topic.USERS),
                order=50,
            )
        )
        from .activities import panel as activities_panel

        # "Vad som är på gång": the next activities the kommun takes part in.
        panels.register(
            panels.Panel(
                "overview_activities",
                "overview/activities/panel.html",
                activities_panel.upcoming_panel,
                topics=(Topic.ACTIVITIES,),
                order=60,
            )
        )
