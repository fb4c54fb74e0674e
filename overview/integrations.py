"""What the overview registers in its registries (overview/registry.py) at start-up.

- ground floor (members, the overview's own data): evidence "contact_nki" / "contact_investment";
  report sections membership, maturity, dialog, contacts; KPI actuals members, share_aktiv_nki,
  share_aktiv_investment, meetings, visits, members_met; map measures maturity per track.
- inquiries (overview/inquiry_figures.py): evidence "inquiry_answer_rate" (share of the inquiries
  due in the last 12 months that the kommun answered, against settings.MATURITY_ANSWER_RATE_THRESHOLD;
  none due = unknown); report section "inquiries" (received / answered / forwarded / shortlisted /
  won with jobs and investment, answer rate and median answer time against the region); KPI actuals
  inquiries_sent, answer_rate, establishments, jobs; map measure "answer_rate"; staff overview panel
  "inquiries" (inquiries taking answers with deadlines and answers awaited).
- nki (overview/nki_figures.py): evidence "nki_years" (results for at least
  settings.MATURITY_NKI_MIN_YEARS distinct years); report section "nki" (per area against the SBA
  and national averages, from nki.selectors.kommun_nki); KPI actual nki_sba; map measure
  "nki_latest" (latest NKI totalt by grade band); staff overview panel "nki" (latest SBA and
  national averages, nki.selectors.region_averages).

A KPI target whose key has no function here shows "not measured in the portal"; a criterion whose
evidence key has none counts the kommun's own answer.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from members import access, panels

from . import inquiry_figures, maturity, selectors
from .models import Level, Track
from .registry import (
    MapMeasure,
    MapValue,
    OverviewPanel,
    ReportSection,
    register_evidence,
    register_kpi_actual,
    register_map_measure,
    register_overview_panel,
    register_report_section,
)

LEVEL_CLASS = {Level.NEUTRAL: "map-level-neutral", Level.AKTIV: "map-level-aktiv", Level.PROAKTIV: "map-level-proaktiv"}


def _maturity_measure(track: str, order: int) -> MapMeasure:
    def values(kommun_ids: list[int]) -> dict[int, MapValue]:
        levels = selectors.levels_by_kommun(kommun_ids)
        return {
            pk: MapValue(display=str(Level(levels[(pk, track)]).label), css_class=LEVEL_CLASS[levels[(pk, track)]])
            for pk in kommun_ids
            if (pk, track) in levels
        }

    def legend() -> list[tuple[str, str]]:
        return [(LEVEL_CLASS[level], str(level.label)) for level in Level]

    return MapMeasure(
        key=f"maturity_{track}",
        topics=("maturity", "register"),
        label=lambda: _("Maturity, %(track)s") % {"track": Track(track).label},
        values=values,
        legend=legend,
        order=order,
    )


def _kommun_panel(request, kommun):
    if not (access.is_staff(request.user) or access.kommun_id_of(request.user) == kommun.pk):
        return None
    return selectors.kommun_panel(kommun)


def register_all() -> None:
    maturity.register_builtin_evidence()
    register_map_measure(_maturity_measure(Track.NKI, 10))
    register_map_measure(_maturity_measure(Track.INVESTMENT, 20))
    register_report_section(
        ReportSection("membership", "overview/report/membership.html", selectors.section_membership, 10)
    )
    register_report_section(ReportSection("maturity", "overview/report/maturity.html", selectors.section_maturity, 40))
    register_report_section(ReportSection("dialog", "overview/report/dialog.html", selectors.section_dialog, 50))
    register_report_section(ReportSection("contacts", "overview/report/contacts.html", selectors.section_contacts, 60))
    register_kpi_actual("members", selectors.kpi_members)
    register_kpi_actual("share_aktiv_nki", selectors._share_at_least_aktiv(Track.NKI))
    register_kpi_actual("share_aktiv_investment", selectors._share_at_least_aktiv(Track.INVESTMENT))
    register_kpi_actual("meetings", selectors.kpi_meetings)
    register_kpi_actual("visits", selectors.kpi_visits)
    register_kpi_actual("members_met", selectors.kpi_members_met)
    _register_inquiries()
    _register_nki()
    panels.register(
        panels.Panel(
            "overview_maturity",
            "overview/includes/kommun_panel.html",
            _kommun_panel,
            order=50,
            topics=("maturity", "dialog", "users"),
        )
    )


def _register_inquiries() -> None:
    register_evidence("inquiry_answer_rate", inquiry_figures.answer_rate_evidence)
    register_report_section(
        ReportSection("inquiries", "overview/report/inquiries.html", inquiry_figures.section_inquiries, 20)
    )
    register_kpi_actual("inquiries_sent", inquiry_figures.kpi_inquiries_sent)
    register_kpi_actual("answer_rate", inquiry_figures.kpi_answer_rate)
    register_kpi_actual("establishments", inquiry_figures.kpi_establishments)
    register_kpi_actual("jobs", inquiry_figures.kpi_jobs)
    register_map_measure(
        MapMeasure(
            key="answer_rate",
            label=lambda: _("Answer rate on inquiries, last 12 months"),
            values=inquiry_figures.answer_rate_map_values,
            legend=inquiry_figures.answer_rate_legend,
            order=30,
            topics=("inquiries", "register"),
        )
    )
    register_overview_panel(
        OverviewPanel(
            "inquiries",
            "overview/panels/inquiries.html",
            inquiry_figures.open_inquiries_panel,
            10,
            topics=("inquiries", "users"),
        )
    )


def _register_nki() -> None:
    from . import nki_figures

    register_evidence("nki_years", nki_figures.nki_years_evidence)
    register_report_section(ReportSection("nki", "overview/report/nki.html", nki_figures.section_nki, 30))
    register_kpi_actual("nki_sba", nki_figures.kpi_nki_sba)
    register_map_measure(
        MapMeasure(
            key="nki_latest",
            label=lambda: _("Latest NKI totalt"),
            values=nki_figures.nki_map_values,
            legend=nki_figures.nki_map_legend,
            order=40,
            topics=("nki", "register"),
        )
    )
    register_overview_panel(
        OverviewPanel("nki", "overview/panels/nki.html", nki_figures.nki_averages_panel, 20, topics=("nki", "register"))
    )
