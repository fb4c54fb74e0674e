from django.core.management.base import BaseCommand

from members import demo as members_demo
from members.services import kommuner_load
from nki import demo as nki_demo


class Command(BaseCommand):
    help = "Load the kommun register and a demo data set for a first look; prints the demo logins."

    def handle(self, *args, **options) -> None:
        kommuner_load()
        logins = members_demo.load()
        nki_demo.load()
        # Feature apps add their demo data here, each after the floor it stands on.
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in at http://127.0.0.1:8000/ as:"))
        for who, email, password in logins:
            self.stdout.write(f"  {who:<10} {email:<24} password: {password}")
