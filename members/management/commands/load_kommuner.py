from django.core.management.base import BaseCommand

from members.services import kommuner_load


class Command(BaseCommand):
    help = "Load the 290 kommuner, the län and the initial SBA roster. Safe to run again."

    def handle(self, *args, **options) -> None:
        result = kommuner_load()
        self.stdout.write(
            f"län created: {result.lan_created}; kommuner created: {result.kommuner_created}, "
            f"updated: {result.kommuner_updated}; memberships seeded: {result.memberships_created}"
        )
