"""Retire every cached page part and figure, e.g. after editing the database by hand.

The portal's own writes (forms, services, imports, the admin) retire what they change by
themselves (members/cache.py); a change made with SQL or a script outside the portal does not.
"""

from django.core.management.base import BaseCommand

from members import cache


class Command(BaseCommand):
    help = "Retire every cached page part and figure (after changing data outside the portal)."

    def handle(self, *args, **options) -> None:
        cache.retire_all()
        self.stdout.write(f"Retired cached parts of: {', '.join(sorted(cache.Topic))}.")
