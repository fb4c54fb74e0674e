"""`manage.py retention --dry-run` prints what the retention rules would remove; without it, removes it."""

from django.core.management.base import BaseCommand

from privacy import services


class Command(BaseCommand):
    help = "Apply the retention rules (privacy.RetentionRule); --dry-run only reports what would go."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        plan = services.retention_plan() if dry_run else services.retention_apply()
        verb = "would remove" if dry_run else "removed"
        for item in plan.items:
            self.stdout.write(f"{item.rule.kind}\t{item.label}\t{verb} {item.count}")
        self.stdout.write(f"total\t{verb} {plan.total}")
