"""Backup and restore of the database and the uploaded files together (manage.py backup / restore).

One archive (an uncompressed tar: the database dump is compressed already) holds
- `manifest.json`: when, which engine, the row count of every table and the SHA-256 of every file;
- `database.dump`: PostgreSQL's custom-format `pg_dump`, or `database.sqlite3` on SQLite (a copy
  made with SQLite's online backup API, consistent while the portal runs);
- `files/<name>`: every file in the upload storage (local disk or the S3 bucket).

Consistency on PostgreSQL: the row counts are taken in a REPEATABLE READ transaction whose snapshot
`pg_dump --snapshot` dumps, so the manifest describes exactly the dump. The files are copied after
the dump: an attachment uploaded meanwhile is in the archive without its row (harmless), and one
deleted meanwhile is reported as missing in the manifest.

Restore goes only into an EMPTY database (no tables) and refuses anything else, then checks the
restored row counts and file checksums against the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    """Said to the operator as it is (a CommandError in the commands)."""


@dataclass
class Result:
    archive: Path
    tables: dict[str, int] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    seconds: float = 0.0


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _pg_env_and_args() -> tuple[dict, list[str]]:
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, [*args, "--dbname", str(db["NAME"])]


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def table_counts() -> dict[str, int]:
    """Rows per table of the portal's database (every table Django's introspection sees)."""
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608 - introspected names
            counts[name] = cursor.fetchone()[0]
    return counts


def _storage_names(storage=default_storage, directory: str = "") -> list[str]:
    try:
        dirs, files = storage.listdir(directory)
    except FileNotFoundError:
        return []
    prefix = f"{directory}/" if directory else ""
    names = [prefix + name for name in files]
    for sub in dirs:
        names += _storage_names(storage, prefix + sub)
    return sorted(names)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(tz=UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def backup(archive: Path) -> Result:
    started = datetime.now(tz=UTC)
    result = Result(archive=archive)
    with tempfile.TemporaryDirectory() as tmp:
        if _is_postgresql():
            dump = Path(tmp) / PG_DUMP
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    cursor.execute("SELECT pg_export_snapshot()")
                    snapshot = cursor.fetchone()[0]
                result.tables = table_counts()
                env, args = _pg_env_and_args()
                done = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                    [
                        _program("pg_dump"),
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        *args,
                        "--file",
                        str(dump),
                    ],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if done.returncode != 0:
                    raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
            database_member = PG_DUMP
        else:
            dump = Path(tmp) / SQLITE_COPY
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            copy = sqlite3.connect(dump)
            try:
                names = [row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")]
                result.tables = {
                    name: copy.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]  # noqa: S608
                    for name in sorted(names)
                    if not name.startswith("sqlite_")
                }
            finally:
                copy.close()
            database_member = SQLITE_COPY

        archive.parent.mkdir(parents=True, exist_ok=True)
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            tar.add(dump, arcname=database_member)
            for name in _storage_names():
                try:
                    with default_storage.open(name, "rb") as handle:
                        data = handle.read()
                except FileNotFoundError:
                    result.missing.append(name)
                    continue
                result.files[name] = sha256(data)
                _add_bytes(tar, f"files/{name}", data)
            result.seconds = (datetime.now(tz=UTC) - started).total_seconds()
            manifest = {
                "format": FORMAT,
                "created": started.isoformat(timespec="seconds"),
                "engine": connection.vendor,
                "database": database_member,
                "database_sha256": sha256(dump.read_bytes()),
                "tables": result.tables,
                "files": result.files,
                "missing": result.missing,
            }
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
        partial.replace(archive)  # a half-written archive never has the final name
    return result


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.loads(tar.extractfile(MANIFEST).read())
    except (KeyError, AttributeError, ValueError) as exc:
        raise BackupError("not a portal backup: the archive has no readable manifest.json") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')!r} is not {FORMAT}")
    return manifest


def database_is_empty() -> tuple[bool, int]:
    with connection.cursor() as cursor:
        tables = [name for name in connection.introspection.table_names(cursor) if not name.startswith("sqlite_")]
    return not tables, len(tables)


def restore(archive: Path) -> Result:
    started = datetime.now(tz=UTC)
    if not archive.is_file():
        raise BackupError(f"no such backup: {archive}")
    with tarfile.open(archive, "r") as tar:
        manifest = read_manifest(tar)
        if manifest["engine"] != connection.vendor:
            raise BackupError(
                f"this backup is of a {manifest['engine']} database; DATABASE_URL points at {connection.vendor}"
            )
        empty, count = database_is_empty()
        if not empty:
            name = connection.settings_dict["NAME"]
            raise BackupError(
                f"the database {name} is not empty ({count} tables): restore only into a new, empty database "
                "(create one and point DATABASE_URL at it); nothing was changed"
            )
        clashes = [name for name in manifest["files"] if default_storage.exists(name)]
        if clashes:
            raise BackupError(
                f"the upload storage already holds {len(clashes)} of the backup's files (e.g. {clashes[0]}): "
                "restore into an empty storage; nothing was changed"
            )
        data = tar.extractfile(manifest["database"]).read()
        if sha256(data) != manifest["database_sha256"]:
            raise BackupError("the database dump in the archive is damaged (checksum differs); nothing was changed")
        with tempfile.TemporaryDirectory() as tmp:
            dump = Path(tmp) / manifest["database"]
            dump.write_bytes(data)
            del data
            if manifest["engine"] == "postgresql":
                env, args = _pg_env_and_args()
                done = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                    [_program("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", *args, str(dump)],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if done.returncode != 0:
                    raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
            else:
                connection.close()
                shutil.copyfile(dump, connection.settings_dict["NAME"])
        result = Result(archive=archive)
        for name, checksum in manifest["files"].items():
            content = tar.extractfile(f"files/{name}").read()
            if sha256(content) != checksum:
                raise BackupError(f"file {name} in the archive is damaged (checksum differs)")
            saved = default_storage.save(name, ContentFile(content))
            if saved != name:
                raise BackupError(f"the storage stored {name} as {saved}")
    connection.close()
    result.tables = table_counts()
    for name in manifest["files"]:
        with default_storage.open(name, "rb") as handle:
            result.files[name] = sha256(handle.read())
    expected = manifest["tables"]
    differ = {t for t in set(result.tables) | set(expected) if result.tables.get(t) != expected.get(t)}
    if differ:
        raise BackupError(f"restored row counts differ from the manifest in: {', '.join(sorted(differ))}")
    if result.files != manifest["files"]:
        raise BackupError("restored files differ from the manifest")
    result.missing = manifest.get("missing", [])
    result.seconds = (datetime.now(tz=UTC) - started).total_seconds()
    return result
