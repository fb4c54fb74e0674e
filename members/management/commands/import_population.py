from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from members.population_import import import_population_file


class Command(BaseCommand):
    help = "Import populations per kommun and year from a CSV file (all-or-nothing)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="SCB")

    def handle(self, *args, file: Path, source: str, **options) -> None:
        result = import_population_file(file.read_bytes(), source=source)
        if not result.ok:
            raise CommandError(_("Nothing was imported:") + "\n" + "\n".join(result.problems))
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in result.counts.items()))
