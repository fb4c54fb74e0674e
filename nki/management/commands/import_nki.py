"""manage.py import_nki FILE [--dry-run] [--area CODE] [--year YEAR] — the same service as the upload page."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nki import services


class Command(BaseCommand):
    help = "Import NKI results from an .xlsx, .csv or Kolada .json file (all or nothing)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and count, store nothing.")
        parser.add_argument("--area", help="Area code for a file without an area column (e.g. bygglov).")
        parser.add_argument("--year", type=int, help="Year for a file without a year column.")

    def handle(self, *args, file: Path, dry_run: bool, area: str | None, year: int | None, **options) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        report = services.nki_import(
            content=file.read_bytes(), file_name=file.name, dry_run=dry_run, area_code=area, year=year
        )
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(str(warning)))
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
        if report.skipped:
            self.stdout.write(f"skipped (summary rows or empty values): {report.skipped}")
        self.stdout.write(
            f"created={report.created} updated={report.updated} unchanged={report.unchanged} "
            f"dry_run={report.dry_run} import_id={report.import_id}"
        )
