from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from digests import demo as digests_demo
from inquiries import demo as inquiries_demo
from members import demo as members_demo
from members.services import kommuner_load
from nki import demo as nki_demo
from overview import demo as overview_demo
from surveys import demo as surveys_demo


class Command(BaseCommand):
    help = "Load the kommun register and a demo data set for a first look; prints the demo logins."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off (the demo users have published passwords: never in production).",
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "load_demo creates users with published passwords, a superuser among them; it runs only "
                "with DEBUG=true (make run). Use --force to load it into a non-debug test instance anyway."
            )
        # Each app's demo data after the floor it stands on; every loader is idempotent.
        kommuner_load()
        logins = members_demo.load()
        inquiries_demo.load()
        nki_demo.load()
        surveys_demo.load()
        overview_demo.load()
        digests_demo.load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in at http://127.0.0.1:8000/ as:"))
        for who, email, password in logins:
            self.stdout.write(f"  {who:<10} {email:<24} password: {password}")
