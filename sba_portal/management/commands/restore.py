"""manage.py restore ARCHIVE: a backup (manage.py backup) into an EMPTY database and storage, then the
restored row counts and file checksums are compared with the archive's manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sba_portal import backup


class Command(BaseCommand):
    help = "Restore a backup into an empty database and upload storage, and verify it against its manifest."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the archive written by manage.py backup")

    def handle(self, *args, archive: Path, **options) -> None:
        try:
            result = backup.restore(archive)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(result.tables.values())
        self.stdout.write(
            f"restored {len(result.tables)} tables ({rows} rows) and {len(result.files)} files from {archive} "
            f"in {result.seconds:.1f} s; row counts and checksums match the manifest"
        )
