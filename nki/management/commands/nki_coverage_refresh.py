"""Recompute which kommuner and areas have NKI results in each year, and each area's sum of NKI
values (NkiYearCoverage), from the results themselves, e.g. after editing results (or only their
values) with SQL outside the portal. The portal's own writes
(the import, the admin, the demo) keep it right by themselves (nki.services.coverage_refresh).
Run `manage.py cache_retire` too after such an edit, so pages stop showing the cached figures."""

from django.core.management.base import BaseCommand

from nki import services
from nki.models import NkiResult, NkiYearCoverage


class Command(BaseCommand):
    help = "Recompute the NKI years' coverage from the stored results (after editing results outside the portal)."

    def handle(self, *args, **options) -> None:
        years = set(NkiResult.objects.order_by().values_list("year", flat=True).distinct())
        years |= set(NkiYearCoverage.objects.values_list("year", flat=True))  # years whose results are gone
        services.coverage_refresh(years=years)
        self.stdout.write(f"NKI coverage recomputed for {len(years)} years.")
