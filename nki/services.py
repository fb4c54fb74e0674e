"""Writes for NKI: importing a file (the one path for the command and the upload page)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import constants, importers
from .importers import Problem
from .models import NkiImport, NkiResult, Source

SOURCE_OF_KIND = {
    NkiImport.Kind.XLSX: Source.INSIKT,
    NkiImport.Kind.CSV: Source.INSIKT,
    NkiImport.Kind.KOLADA: Source.KOLADA,
}


@dataclass
class PreviewRow:
    row: int
    kommun: str
    kommun_code: str
    year: int
    area: str
    values: dict
    status: str  # "created", "updated", "unchanged"


@dataclass
class ImportReport:
    file_name: str
    file_hash: str
    kind: str = ""
    layout: str = ""
    dry_run: bool = True
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    import_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        if not self.ok:
            return _("The file was not imported: %(n)s problem(s). Nothing was changed.") % {"n": len(self.problems)}
        if not self.changed:
            return _("No changes: all %(n)s values in the file are already stored.") % {"n": self.unchanged}
        text = _("%(created)s new, %(updated)s updated, %(unchanged)s unchanged.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        return (_("Preview: ") + text) if self.dry_run else text


def file_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def nki_import(
    *,
    content: bytes,
    file_name: str,
    user=None,
    dry_run: bool = False,
    area_code: str | None = None,
    year: int | None = None,
) -> ImportReport:
    """Import an NKI file all-or-nothing and report what it did (or, with dry_run, would do).

    Guarantees: a file with any problem changes nothing and the report lists every problem with
    its row and column; otherwise every value is stored in one transaction, with history, and the
    counts say how many were created, updated and unchanged. Only the fields the file has columns
    for are compared and written (a Kolada file with NKI alone leaves factor indices alone).
    Importing the same file again changes nothing and records no import.
    """
    report = ImportReport(file_name=file_name, file_hash=file_hash(content), dry_run=dry_run)
    try:
        parsed = importers.parse(content, file_name, area_code=area_code, year=year)
    except importers.UploadRefused as refused:
        report.problems = [Problem(None, "", str(refused))]
        return report
    report.kind, report.layout, report.skipped = parsed.kind, parsed.layout, parsed.skipped
    report.problems, report.warnings, report.total = parsed.problems, parsed.warnings, len(parsed.values)
    if parsed.problems:
        return report
    if not parsed.values:
        report.problems = [Problem(None, "", _("The file holds no NKI values."))]
        return report

    existing = {
        (r.kommun_id, r.year, r.area_id): r
        for r in NkiResult.objects.filter(
            kommun_id__in={v.kommun.pk for v in parsed.values},
            year__in={v.year for v in parsed.values},
            area_id__in={v.area.pk for v in parsed.values},
        )
    }
    source = SOURCE_OF_KIND.get(parsed.kind, Source.MANUAL)
    to_create: list[NkiResult] = []
    to_update: list[NkiResult] = []
    update_fields: set[str] = set()
    for value in parsed.values:
        result = existing.get(value.key)
        if result is None:
            result = NkiResult(kommun=value.kommun, year=value.year, area=value.area, source=source, **value.values)
            to_create.append(result)
            status = "created"
        else:
            changed = [name for name, new in value.values.items() if getattr(result, name) != new]
            if changed:
                for name in changed:
                    setattr(result, name, value.values[name])
                result.source = source
                update_fields.update(changed)
                to_update.append(result)
                status = "updated"
            else:
                status = "unchanged"
        if len(report.preview) < constants.IMPORT_PREVIEW_ROWS:
            report.preview.append(
                PreviewRow(
                    value.row, value.kommun.name, value.kommun.code, value.year, value.area.name, value.values, status
                )
            )
    report.created, report.updated = len(to_create), len(to_update)
    report.unchanged = len(parsed.values) - report.created - report.updated
    if dry_run or not report.changed:
        return report

    try:
        with transaction.atomic():
            record = NkiImport.objects.create(
                kind=parsed.kind,
                file_name=file_name[:255],
                file_hash=report.file_hash,
                imported_by=user if getattr(user, "pk", None) else None,
                rows=report.total,
                created=report.created,
                updated=report.updated,
                unchanged=report.unchanged,
            )
            reason = f"NKI import {record.pk}: {file_name[:80]}"
            for result in (*to_create, *to_update):
                result.nki_import = record
            if to_create:
                bulk_create_with_history(
                    to_create, NkiResult, batch_size=2000, default_user=record.imported_by, default_change_reason=reason
                )
            if to_update:
                bulk_update_with_history(
                    to_update,
                    NkiResult,
                    sorted(update_fields | {"source", "nki_import"}),
                    batch_size=2000,
                    default_user=record.imported_by,
                    default_change_reason=reason,
                )
    except IntegrityError:
        report.problems = [Problem(None, "", _("Another import changed the same results at the same time. Try again."))]
        report.created = report.updated = report.unchanged = 0
        return report
    report.import_id = record.pk
    report.dry_run = False
    return report


# --- Uploaded files between preview and confirmation ---------------------------------------------

_HASH = re.compile(r"^[0-9a-f]{64}$")


def _upload_dir() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "nki_uploads"


def nki_upload_stash(*, content: bytes) -> str:
    """Keep an uploaded file server-side (private storage) under its SHA-256; return the hash."""
    digest = file_hash(content)
    directory = _upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / digest).write_bytes(content)
    return digest


def nki_upload_fetch(*, digest: str) -> bytes | None:
    """The stashed file with this hash, only if it is there and still has exactly this hash."""
    if not _HASH.match(digest or ""):
        return None
    path = _upload_dir() / digest
    if not path.is_file():
        return None
    content = path.read_bytes()
    return content if file_hash(content) == digest else None


def nki_upload_discard(*, digest: str) -> None:
    if _HASH.match(digest or ""):
        (_upload_dir() / digest).unlink(missing_ok=True)
