from contextlib import nullcontext

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max
from django.test.utils import override_settings
from django.urls import reverse

from digests import demo as digests_demo
from inquiries import demo as inquiries_demo
from members import demo as members_demo
from members.services import kommuner_load
from nki import demo as nki_demo
from outbox.models import Message
from overview import demo as overview_demo
from surveys import demo as surveys_demo

CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The demo's own e-mails (invitations, dispatches, answers, digests: a few hundred) are delivered
# here rather than printed, so the logins stay in view; the outbox still records each one as sent.
QUIET_BACKEND = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = (
        "Load the kommun register and a demo data set for a first look; ends with a one-line summary of "
        "the demo's e-mails and the demo logins."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG and DEMO off (the demo users have published passwords: never in production).",
        )

    def handle(self, *args, **options) -> None:
        if not (settings.DEBUG or settings.DEMO) and not options["force"]:
            raise CommandError(
                "load_demo creates users with published passwords, a superuser among them; it runs only "
                "with DEBUG=true or DEMO=true (make run). Use --force to load it into a non-debug test "
                "instance anyway."
            )
        before = Message.objects.aggregate(last=Max("pk"))["last"] or 0
        quiet = settings.EMAIL_BACKEND == CONSOLE_BACKEND
        with override_settings(EMAIL_BACKEND=QUIET_BACKEND) if quiet else nullcontext():
            # Each app's demo data after the floor it stands on; every loader is idempotent.
            kommuner_load()
            logins = members_demo.load()
            inquiries_demo.load()
            nki_demo.load()
            surveys_demo.load()
            overview_demo.load()
            digests_demo.load()
        emails = Message.objects.filter(pk__gt=before).count()
        log_url = settings.SITE_URL + reverse("outbox:log")
        if quiet:
            summary = (
                f"Demo: {emails} e-mail(s) sent, not printed here — read them in the e-mail log at {log_url} "
                "(signed in as staff). E-mail from now on is printed to this console."
            )
        else:
            summary = f"Demo: {emails} e-mail(s) queued — see the e-mail log at {log_url} (signed in as staff)."
        self.stdout.write(summary)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Sign in at {settings.SITE_URL}/ as:"))
        for who, email, password in logins:
            self.stdout.write(f"  {who:<10} {email:<24} password: {password}")
