from django.core.management.base import BaseCommand, CommandError

from digests import kinds, services


class Command(BaseCommand):
    help = (
        "Build and queue a digest for a period, as the schedule would (already-sent recipients are "
        "skipped). With --dry-run, print what would be sent and write nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--kind", required=True, help="One of: " + ", ".join(k.code for k in kinds.DIGEST_KINDS))
        parser.add_argument(
            "--period",
            help="e.g. 2026-W48 (weekly), 2026-Q4 (quarterly), 2026-11-27 (daily). "
            "Default: the period the schedule would send now.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Print the e-mails; send and write nothing.")

    def handle(self, *args, kind: str, period: str | None, dry_run: bool, **options) -> None:
        try:
            chosen = services.period_for(kind, period)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        report = services.digests_send(kind=kind, period=chosen, dry_run=dry_run)
        if dry_run:
            for digest in report.planned:
                subject, text, _html = services.digest_render(digest)
                self.stdout.write("=" * 78)
                self.stdout.write(f"To: {digest.recipient.email} ({digest.recipient.language})")
                self.stdout.write(f"Subject: {subject}")
                self.stdout.write(f"Sections: {', '.join(s.key for s in digest.sections)}")
                self.stdout.write("")
                self.stdout.write(text)
        verb = "would queue" if dry_run else "queued"
        count = len(report.planned) if dry_run else report.queued
        self.stdout.write(
            self.style.SUCCESS(
                f"{kind} {report.period.label}: {report.recipients} recipients, {verb} {count}, "
                f"already queued {report.already}, unsubscribed {report.unsubscribed}, "
                f"nothing to report {report.empty}."
            )
        )
