"""manage.py backup ARCHIVE: the database (consistent pg_dump, custom format; on SQLite a copy of the
database file) and every uploaded file, into one archive with a manifest (sba_portal/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sba_portal import backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive with a manifest of counts and checksums."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the archive to write, e.g. /backup/portal-2026-12-03.tar")

    def handle(self, *args, archive: Path, **options) -> None:
        if archive.exists():
            raise CommandError(f"{archive} exists already: name a new file")
        try:
            result = backup.backup(archive)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(result.tables.values())
        self.stdout.write(
            f"backed up {len(result.tables)} tables ({rows} rows) and {len(result.files)} files "
            f"to {archive} in {result.seconds:.1f} s"
        )
        if result.missing:
            self.stderr.write(f"{len(result.missing)} files disappeared during the backup: {', '.join(result.missing)}")
