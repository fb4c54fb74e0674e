"""Writes for NKI: importing a file (the one path for the command and the upload page)."""

from __future__ import annotations

import hashlib
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from members import cache
from members.cache import Topic

from . import constants, importers, selectors
from .models import NkiImport, NkiResult, NkiYearCoverage, Source
from .reading import VALUE_FIELDS, Parsed, Problem, UploadRefused

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
    parsed = _parse(report, content, file_name, area_code=area_code, year=year)
    if parsed is None:
        return report
    plan = _plan(report, parsed, existing=_stored_results(parsed), dry_run=dry_run)
    report.warnings.extend(_partial_year_warnings(parsed))
    if dry_run or not report.changed:
        return report
    _store(report, parsed, plan, user=user)
    return report


def _partial_year_warnings(parsed: Parsed) -> list[str]:
    """A warning for each year of the file that would be newer than the latest complete year and
    still not complete after the import (selectors.year_status_with): it stays preliminary. The
    import is still possible."""
    latest = selectors.latest_complete_year()
    by_year: dict[int, set[int]] = {}
    for value in parsed.values:
        by_year.setdefault(value.year, set()).add(value.kommun.pk)
    warnings = []
    for year in sorted(by_year):
        if latest is not None and year <= latest:
            continue
        status = selectors.year_status_with(year, by_year[year])
        if not status.complete:
            warnings.append(
                _(
                    "%(year)s is not complete: after this import %(n)s of %(total)s SBA members have results "
                    "for %(year)s. The year is shown as preliminary and does not become the latest year in "
                    "overviews, reports and e-mail until at least half of the members have results. You can "
                    "still import the file."
                )
                % {"year": year, "n": status.members_with_results, "total": status.members}
            )
    return warnings


@dataclass
class _Plan:
    """The writes an import needs: rows to insert, rows to update and the fields that change."""

    to_create: list[dict] = field(default_factory=list)
    to_update: list[dict] = field(default_factory=list)
    update_fields: set[str] = field(default_factory=set)


def _parse(report: ImportReport, content: bytes, file_name: str, **choices) -> Parsed | None:
    """The file's values, recorded in the report; None (the problems in the report) if any is bad."""
    try:
        parsed = importers.parse(content, file_name, **choices)
    except UploadRefused as refused:
        report.problems = [Problem(None, "", str(refused))]
        return None
    report.kind, report.layout, report.skipped = parsed.kind, parsed.layout, parsed.skipped
    report.problems, report.warnings, report.total = parsed.problems, parsed.warnings, len(parsed.values)
    if parsed.problems:
        return None
    if not parsed.values:
        report.problems = [Problem(None, "", _("The file holds no NKI values."))]
        return None
    return parsed


RESULT_COLUMNS = ["pk", "kommun_id", "year", "area_id", *VALUE_FIELDS, "source", "nki_import_id"]


def _stored_results(parsed: Parsed) -> dict[tuple[int, int, int], dict]:
    """The stored results the file may touch, by (kommun, year, area), as plain rows rather than
    model objects: a national file meets ~23 000 of them."""
    return {
        (row[1], row[2], row[3]): dict(zip(RESULT_COLUMNS, row, strict=True))
        for row in NkiResult.objects.filter(
            kommun_id__in={v.kommun.pk for v in parsed.values},
            year__in={v.year for v in parsed.values},
            area_id__in={v.area.pk for v in parsed.values},
        )
        .order_by()
        .values_list(*RESULT_COLUMNS)
    }


def _plan(report: ImportReport, parsed: Parsed, *, existing: dict, dry_run: bool) -> _Plan:
    """Compare each value with what is stored: counted (and previewed) as created, updated or
    unchanged; the writes collected (none to create on a dry run)."""
    plan = _Plan()
    source = SOURCE_OF_KIND.get(parsed.kind, Source.MANUAL)
    blank = dict.fromkeys(VALUE_FIELDS)
    for value in parsed.values:
        stored = existing.get(value.key)
        if stored is None:
            if not dry_run:
                plan.to_create.append(
                    {
                        **blank,
                        "kommun_id": value.kommun.pk,
                        "year": value.year,
                        "area_id": value.area.pk,
                        "source": source,
                        **value.values,
                    }
                )
            report.created += 1
            status = "created"
        elif changed := [name for name, new in value.values.items() if stored[name] != new]:
            plan.to_update.append({**stored, **{name: value.values[name] for name in changed}, "source": source})
            plan.update_fields.update(changed)
            report.updated += 1
            status = "updated"
        else:
            status = "unchanged"
        if len(report.preview) < constants.IMPORT_PREVIEW_ROWS:
            report.preview.append(
                PreviewRow(
                    value.row, value.kommun.name, value.kommun.code, value.year, value.area.name, value.values, status
                )
            )
    report.unchanged = len(parsed.values) - report.created - report.updated
    return plan


def _store(report: ImportReport, parsed: Parsed, plan: _Plan, *, user) -> None:
    """Write the plan in one transaction with an NkiImport record; a clash with another import
    at the same time stores nothing and is reported as a problem."""
    file_name = report.file_name
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
            for result in (*plan.to_create, *plan.to_update):
                result["nki_import_id"] = record.pk
            with cache.retiring(Topic.NKI):  # raw SQL below the model signals
                write_results(
                    record=record,
                    to_create=plan.to_create,
                    to_update=plan.to_update,
                    update_fields=sorted(plan.update_fields | {"source", "nki_import"}),
                    reason=f"NKI import {record.pk}: {file_name[:80]}",
                )
                # Updates change values (the years' sums), never kommun, year or area.
                coverage_refresh(years={result["year"] for result in (*plan.to_create, *plan.to_update)})
    except IntegrityError:
        report.problems = [Problem(None, "", _("Another import changed the same results at the same time. Try again."))]
        report.created = report.updated = report.unchanged = 0
        return
    report.import_id = record.pk
    report.dry_run = False


def write_results(
    *, record: NkiImport, to_create: list[dict], to_update: list[dict], update_fields: list[str], reason: str
) -> None:
    """Insert and update results with their history rows (django-simple-history's tables).

    Why not bulk_create_with_history: for a national file (290 × 10 × 8 values, twice over with
    history) the ORM spends most of the time compiling SQL per value; plain executemany with the
    same columns is an order of magnitude faster and keeps the import within seconds. Only plain
    columns (numbers, text, keys) are passed, so the database adapter handles every value; the
    history rows carry the same fields, user, date and reason that simple_history would write.
    """
    history_model = NkiResult.history.model
    now = timezone.now()
    fields = [f for f in NkiResult._meta.concrete_fields if not f.primary_key]
    if to_create:
        _executemany(
            NkiResult._meta.db_table,
            [f.column for f in fields],
            [[r.get(f.attname) for f in fields] for r in to_create],
        )
        ids = {
            (kommun_id, year, area_id): pk
            for pk, kommun_id, year, area_id in NkiResult.objects.filter(nki_import=record).values_list(
                "pk", "kommun_id", "year", "area_id"
            )
        }
        for result in to_create:
            result["pk"] = ids[(result["kommun_id"], result["year"], result["area_id"])]
    if to_update:
        columns = [NkiResult._meta.get_field(name) for name in update_fields]
        quote = connection.ops.quote_name
        table = quote(NkiResult._meta.db_table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One UPDATE … FROM (VALUES …) per page of rows, not one UPDATE per row: a national
                # file updates 23,200 results. Each value is cast to its column's type, so a page
                # starting with empty (NULL) values still types right.
                from psycopg2.extras import execute_values

                names = ", ".join(quote(f.column) for f in columns)
                sets = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in columns)
                sql = f"UPDATE {table} AS t SET {sets} FROM (VALUES %s) AS v(id, {names}) WHERE t.id = v.id"  # noqa: S608
                template = "(%s::bigint, " + ", ".join(f"%s::{f.db_type(connection)}" for f in columns) + ")"
                params = [[r["pk"], *(r[f.attname] for f in columns)] for r in to_update]
                execute_values(cursor.cursor, sql, params, template=template, page_size=1000)
            else:
                sets = ", ".join(f"{quote(f.column)} = %s" for f in columns)
                sql = f"UPDATE {table} SET {sets} WHERE {quote('id')} = %s"  # noqa: S608
                cursor.executemany(sql, [[r[f.attname] for f in columns] + [r["pk"]] for r in to_update])
    # One history row per created ("+") and updated ("~") result.
    history_fields = [f for f in history_model._meta.concrete_fields if f.attname != "history_id"]
    date_value = history_model._meta.get_field("history_date").get_db_prep_save(now, connection)
    user_id = record.imported_by_id
    rows = []
    for kind, results in (("+", to_create), ("~", to_update)):
        extra = {
            "history_date": date_value,
            "history_change_reason": reason,
            "history_type": kind,
            "history_user_id": user_id,
        }
        for result in results:
            result["id"] = result["pk"]
            rows.append([extra[f.attname] if f.attname in extra else result[f.attname] for f in history_fields])
    _executemany(history_model._meta.db_table, [f.column for f in history_fields], rows)


def _executemany(table: str, columns: list[str], rows: list[list]) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    insert = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "  # noqa: S608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement per page of rows, not one round trip per row.
            from psycopg2.extras import execute_values

            execute_values(cursor.cursor, insert + "%s", rows, page_size=1000)
        else:
            cursor.executemany(insert + f"({', '.join(['%s'] * len(columns))})", rows)


# --- Which kommuner and areas have results in which year -----------------------------------------


def coverage_refresh(*, years: Iterable[int]) -> None:
    """Recompute NkiYearCoverage for `years` from the stored results (a DISTINCT read and a sum per
    area over those years on the year index, and a write only where something changed).

    Guarantees: afterwards each given year's row lists exactly the kommuner and the areas with a
    result that year and each area's sum and count of NKI values, and a year without results has
    no row. Model saves and deletes call it
    (nki.signals); every write that bypasses them (bulk_create, raw SQL: the import, the demo and
    bench loaders) calls it itself, in the same transaction. Writers of the same year are
    serialised on its row (select_for_update), so each recomputes from what the other committed;
    two creating the same new year at once: the second fails with IntegrityError (the import
    reports it as a clash and stores nothing).
    """
    years = sorted(set(years))
    if not years:
        return
    with transaction.atomic():
        stored = {
            row.year: row for row in NkiYearCoverage.objects.select_for_update().filter(year__in=years).order_by("year")
        }
        kommuner: dict[int, set[int]] = defaultdict(set)
        sums: dict[int, dict[str, list]] = defaultdict(dict)
        results = NkiResult.objects.filter(year__in=years).order_by()
        for year, kommun_id in results.values_list("year", "kommun_id").distinct():
            kommuner[year].add(kommun_id)
        for year, area_id, total, n in (
            results.values("year", "area_id")
            .annotate(total=Sum("nki"), n=Count("id"))
            .values_list("year", "area_id", "total", "n")
        ):
            # One decimal, as the values: exact on PostgreSQL; SQLite sums in floats (tests, embedded).
            sums[year][str(area_id)] = [str(Decimal(total).quantize(Decimal("0.1"))), n]
        gone = [year for year in stored if year not in kommuner]
        if gone:
            NkiYearCoverage.objects.filter(year__in=gone).delete()
        changed, new = [], []
        for year in sorted(kommuner):
            kommun_ids, area_ids = sorted(kommuner[year]), sorted(int(pk) for pk in sums[year])
            area_sums = dict(sorted(sums[year].items()))
            row = stored.get(year)
            if row is None:
                new.append(NkiYearCoverage(year=year, kommun_ids=kommun_ids, area_ids=area_ids, area_sums=area_sums))
            elif (row.kommun_ids, row.area_ids, row.area_sums) != (kommun_ids, area_ids, area_sums):
                row.kommun_ids, row.area_ids, row.area_sums = kommun_ids, area_ids, area_sums
                changed.append(row)
        if changed:
            NkiYearCoverage.objects.bulk_update(changed, ["kommun_ids", "area_ids", "area_sums"])
        if new:
            NkiYearCoverage.objects.bulk_create(new)


# --- Uploaded files between preview and confirmation ---------------------------------------------

_HASH = re.compile(r"^[0-9a-f]{64}$")


UPLOAD_DIR = "nki_uploads"
UPLOAD_KEEP_SECONDS = 24 * 3600


def _upload_storage():
    # The upload storage every web node shares (local disk, or the S3 bucket: settings.STORAGES), so
    # a preview on one node can be confirmed on another.
    return default_storage


def nki_upload_stash(*, content: bytes) -> str:
    """Keep an uploaded file server-side (private storage) under its SHA-256; return the hash.

    Previews never confirmed are removed after a day (checked whenever a file is stashed).
    """
    digest = file_hash(content)
    storage = _upload_storage()
    cutoff = time.time() - UPLOAD_KEEP_SECONDS
    try:
        _dirs, names = storage.listdir(UPLOAD_DIR)
    except FileNotFoundError:
        names = []
    for old in names:
        name = f"{UPLOAD_DIR}/{old}"
        if _HASH.match(old) and storage.get_modified_time(name).timestamp() < cutoff:
            storage.delete(name)
    name = f"{UPLOAD_DIR}/{digest}"
    storage.delete(name)  # the same hash is the same content: replace it (and renew its day)
    storage.save(name, ContentFile(content))
    return digest


def nki_upload_fetch(*, digest: str) -> bytes | None:
    """The stashed file with this hash, only if it is there and still has exactly this hash."""
    if not _HASH.match(digest or ""):
        return None
    storage = _upload_storage()
    name = f"{UPLOAD_DIR}/{digest}"
    try:
        with storage.open(name, "rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError):
        return None
    return content if file_hash(content) == digest else None


def nki_upload_discard(*, digest: str) -> None:
    if _HASH.match(digest or ""):
        _upload_storage().delete(f"{UPLOAD_DIR}/{digest}")
