"""Issue 18 in the normal suite: liveness and readiness, the request id in logs and tasks, the storage
settings, and backup/restore (on whichever database the suite runs). The multi-node scenarios and
the restore drill of the demo are in tests/cluster (marker `cluster`)."""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from inquiries.models import Attachment
from members.models import Kommun
from sba_portal import backup, logs

from .conftest import client_for
from .inquiries.conftest import contacts, inquiry, sent, sites  # noqa: F401 - fixtures
from .inquiries.helpers import PDF

ROOT = Path(__file__).resolve().parent.parent


# --- /healthz/live and /healthz/ready ------------------------------------------------------------


@pytest.mark.django_db
def test_live_answers_without_asking_any_dependency(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_ready_checks_database_cache_and_storage(client, settings):
    settings.CELERY_BROKER_URL = None
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    body = response.json()
    assert (body["database"], body["cache"], body["storage"]) == ("ok", "ok", "ok")
    assert body["broker"].startswith("not configured")
    # /healthz keeps its answer (load balancers configured for it go on working).
    assert set(client.get("/healthz").json()) == {"database", "cache", "broker"}


@pytest.mark.django_db
def test_ready_is_503_when_the_storage_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = None
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "nowhere",
                "endpoint_url": "http://127.0.0.1:1",
                "access_key": "x",
                "secret_key": "y",
                "region_name": "us-east-1",
                "client_config": __import__("botocore.config").config.Config(
                    connect_timeout=1, retries={"max_attempts": 1}
                ),
            },
        },
    }
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json()["storage"].startswith("unreachable")
    assert response.json()["database"] == "ok"


# --- The request id ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_request_id_is_taken_from_the_balancer_or_made_up(client):
    given = client.get("/healthz/live", HTTP_X_REQUEST_ID="lb-0123456789abcdef")
    assert given["X-Request-ID"] == "lb-0123456789abcdef"
    made = client.get("/healthz/live")
    assert len(made["X-Request-ID"]) == 32
    # Not an id (too short, or with spaces / control characters): replaced, never echoed.
    for bad in ("x", "a b c d e f g h", "<script>alert(1)</script>"):
        response = client.get("/healthz/live", HTTP_X_REQUEST_ID=bad)
        assert response["X-Request-ID"] != bad and len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_log_lines_of_a_request_carry_its_id(staff, caplog):
    client = client_for(staff)
    with caplog.at_level(logging.INFO, logger="sba_portal.security"):
        client.get("/forfragningar/bilagor/999999/", HTTP_X_REQUEST_ID="req-refused-000001")
    refused = [r for r in caplog.records if r.name == "sba_portal.security" and "refused" in r.getMessage()]
    assert refused
    assert logs.RequestIdFilter().filter(refused[0]) and refused[0].request_id == "req-refused-000001"


def test_json_formatter_writes_one_object_per_line():
    record = logging.LogRecord("sba_portal.test", logging.WARNING, __file__, 1, "sent %s", ("x",), None)
    record.kommun = "0482"
    token = logs.request_id_var.set("json-test-00000001")
    try:
        logs.RequestIdFilter().filter(record)
        line = logs.JsonFormatter().format(record)
    finally:
        logs.request_id_var.reset(token)
    entry = json.loads(line)
    assert "\n" not in line
    assert entry["message"] == "sent x" and entry["level"] == "WARNING" and entry["logger"] == "sba_portal.test"
    assert entry["request_id"] == "json-test-00000001" and entry["kommun"] == "0482"


def test_the_request_id_travels_in_the_task_headers_and_is_set_around_the_task():
    headers: dict = {}
    token = logs.request_id_var.set("task-origin-000001")
    try:
        logs._publish_request_id(headers=headers)
    finally:
        logs.request_id_var.reset(token)
    assert headers == {"request_id": "task-origin-000001"}
    # On the worker: Celery puts unknown message headers on task.request.
    task = SimpleNamespace(request=SimpleNamespace(request_id="task-origin-000001", headers=None))
    assert logs.current_request_id() is None
    logs._task_started(task_id="t1", task=task)
    assert logs.current_request_id() == "task-origin-000001"
    logs._task_finished(task_id="t1")
    assert logs.current_request_id() is None
    # Nothing published outside a request: no header.
    empty: dict = {}
    logs._publish_request_id(headers=empty)
    assert empty == {}


def test_json_logs_and_s3_storage_from_the_environment():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'sba_portal.settings'; django.setup(); "
        "from django.conf import settings as s; import json; "
        "print(json.dumps([s.LOGGING['handlers']['console']['formatter'], s.STORAGES['default']]))"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "x" * 50,
        "LOG_FORMAT": "json",
        "STORAGE_S3_BUCKET": "sba-uploads",
        "STORAGE_S3_ENDPOINT_URL": "https://minio.example.se",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    formatter, storage = json.loads(out.stdout)
    assert formatter == "json"
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "sba-uploads" and options["endpoint_url"] == "https://minio.example.se"
    # Private: no public ACL, every URL the backend could make is signed and short-lived.
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    assert options["querystring_expire"] <= 300
    # Without the bucket: the local disk.
    del env["STORAGE_S3_BUCKET"]
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)[1]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_a_bad_log_format_fails_at_start_up():
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'sba_portal.settings'; django.setup()"
    env = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 50, "LOG_FORMAT": "xml"}
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode != 0 and "LOG_FORMAT must be plain or json" in done.stderr


# --- Backup and restore --------------------------------------------------------------------------


@pytest.fixture
def with_files(request, user_a):
    """An answer with two uploaded attachments, in the test's private storage."""
    from inquiries import services

    dispatches, people = request.getfixturevalue("sent"), request.getfixturevalue("contacts")
    files = [SimpleUploadedFile(f"bilaga-{n}.pdf", PDF + bytes([65 + n]) * 3000) for n in range(2)]
    return services.answer_save(
        dispatch=dispatches["a"], user=user_a, decision="interested", offer="Mark", contact=people["a_nlc"], files=files
    )


def counts_here() -> dict[str, int]:
    return backup.table_counts()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_writes_database_files_and_manifest(with_files, tmp_path, settings):
    archive = tmp_path / "portal.tar"
    call_command("backup", str(archive))
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = backup.read_manifest(tar)
        stored = {n.removeprefix("files/"): tar.extractfile(n).read() for n in names if n.startswith("files/")}
    assert manifest["engine"] == connection.vendor
    assert manifest["database"] in names
    assert manifest["tables"] == counts_here()
    assert manifest["tables"]["inquiries_attachment"] == 2 == len(manifest["files"]) == len(stored)
    assert manifest["tables"]["members_kommun"] == Kommun.objects.count() == 290
    assert {name: backup.sha256(data) for name, data in stored.items()} == manifest["files"]
    assert set(manifest["files"]) == set(Attachment.objects.values_list("file", flat=True))
    # An existing archive is never overwritten.
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(archive))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_a_database_that_is_not_empty(with_files, tmp_path):
    archive = tmp_path / "portal.tar"
    call_command("backup", str(archive))
    before = counts_here()
    with pytest.raises(CommandError, match=r"is not empty \(\d+ tables\).*nothing was changed"):
        call_command("restore", str(archive))
    assert counts_here() == before


@pytest.mark.django_db
def test_restore_refuses_what_is_not_a_backup(tmp_path):
    junk = tmp_path / "junk.tar"
    with tarfile.open(junk, "w") as tar:
        info = tarfile.TarInfo("hello.txt")
        tar.addfile(info)
    with pytest.raises(CommandError, match="not a portal backup"):
        call_command("restore", str(junk))
    with pytest.raises(CommandError, match="no such backup"):
        call_command("restore", str(tmp_path / "missing.tar"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sqlite_backup_restores_into_a_new_database_file(with_files, tmp_path, settings):
    """On SQLite (make run) the backup copies the database file; restore puts it back, with the files."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only; on PostgreSQL the restore drill (tests/cluster) restores the demo")
    archive = tmp_path / "portal.tar"
    call_command("backup", str(archive))
    target, media = tmp_path / "restored.sqlite3", tmp_path / "restored-media"
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": f"sqlite:///{target}",
        "PRIVATE_MEDIA_ROOT": str(media),
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "row counts and checksums match the manifest" in done.stdout
    copy = sqlite3.connect(target)
    try:
        restored = {
            name: copy.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]  # noqa: S608
            for (name,) in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not name.startswith("sqlite_")
        }
    finally:
        copy.close()
    assert restored == counts_here()
    for attachment in Attachment.objects.all():
        assert (media / attachment.file.name).read_bytes() == attachment.file.open("rb").read()
    # Again into the same, now full, database: refused.
    again = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert again.returncode != 0 and "is not empty" in again.stderr


def test_sentry_only_when_a_dsn_is_set():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'sba_portal.settings'; django.setup(); "
        "import sentry_sdk; client = sentry_sdk.get_client(); "
        "print(client.is_active(), client.options['dsn'], client.options['send_default_pii'])"
    )
    env = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 50}
    off = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert off.stdout.split()[0] == "False"
    env["SENTRY_DSN"] = "https://public@sentry.example.se/1"
    on = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert on.stdout.split() == ["True", "https://public@sentry.example.se/1", "False"]
