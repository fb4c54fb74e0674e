"""The restore drill and the loopback cluster (marker `cluster`; harness.py).

They run under CI=true (in .ci/run's `make test`) and when asked (`-m cluster` or CLUSTER=1);
otherwise they are skipped, as they take a minute or two and need PostgreSQL, Redis and HAProxy.
Under CI a missing piece fails them (tests.conftest.require_service).

The demo backup both use is built once per run, whichever xdist worker gets there first (a lock
file in the run's shared temporary directory): a fresh database, migrate, load_demo, a few uploaded
attachments, collectstatic, `manage.py backup`.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import pytest

from ..conftest import require_service, running_in_ci
from .harness import Cluster, manage, pg_url, psql, recreate_database

ATTACHMENTS_SCRIPT = """
from django.core.files.base import ContentFile
from inquiries.models import Answer, Attachment
for n, answer in enumerate(Answer.objects.order_by("pk")[:3]):
    data = b"%PDF-1.4 demo " + str(n).encode() * 4000
    Attachment.objects.create(answer=answer, file=ContentFile(data, name="demo.pdf"), original_name=f"demo-{n}.pdf",
                              content_type="application/pdf", size=len(data))
print(Attachment.objects.count())
"""


def pytest_collection_modifyitems(config, items):
    asked = os.environ.get("CLUSTER", "").lower() in ("1", "true", "yes") or "cluster" in (config.option.markexpr or "")
    if running_in_ci() or asked:
        return
    skip = pytest.mark.skip(reason="the cluster tests run under CI=true or with -m cluster / CLUSTER=1")
    for item in items:
        if item.get_closest_marker("cluster"):
            item.add_marker(skip)


def services_ready() -> tuple[bool, str]:
    if not (shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists()):
        return False, "HAProxy (apt-get install haproxy)"
    for program in ("psql", "pg_dump", "pg_restore"):
        if not shutil.which(program):
            return False, f"{program} (PostgreSQL client)"
    try:
        psql("SELECT 1")
    except (RuntimeError, OSError):
        return False, "PostgreSQL on 127.0.0.1:5432"
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/14", socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False, "Redis on 127.0.0.1:6379"
    return True, ""


def xdist_index(worker_id: str) -> int:
    return int(worker_id[2:]) if worker_id.startswith("gw") else 0


@pytest.fixture(scope="session")
def demo_backup(tmp_path_factory, worker_id) -> dict:
    """{'archive': Path, 'static_root': Path, 'media': Path, 'database': name} of the demo data set."""
    ok, missing = services_ready()
    require_service(missing or "cluster services", ok)
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent  # the run's directory, shared by every xdist worker
    root = shared / "cluster-demo"
    lock = shared / "cluster-demo.lock"
    if os.environ.get("CLUSTER_DEMO_DIR"):  # a developer's shortcut: the demo built by an earlier run
        root = Path(os.environ["CLUSTER_DEMO_DIR"])
        lock = root.with_name(root.name + ".lock")
    info = {
        "archive": root / "demo.tar",
        "static_root": root / "static",
        "media": root / "media",
        "database": "sba_cluster_demo",
    }
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if not info["archive"].exists():
                root.mkdir(parents=True, exist_ok=True)
                env = demo_env(info)
                recreate_database(info["database"])
                manage("migrate", "--no-input", "-v0", env=env)
                manage("load_demo", env=env)
                manage("shell", "-c", ATTACHMENTS_SCRIPT, env=env)
                manage("collectstatic", "--no-input", "-v0", env=env)
                manage("backup", str(info["archive"]), env=env)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return info


def demo_env(info: dict, **extra: str) -> dict:
    from .harness import base_env

    return base_env(
        DEBUG="true",
        DATABASE_URL=pg_url(info["database"]),
        PRIVATE_MEDIA_ROOT=str(info["media"]),
        STATIC_ROOT=str(info["static_root"]),
        EMAIL_URL="consolemail://",
        **extra,
    )


@pytest.fixture
def cluster(demo_backup, tmp_path, worker_id):
    cluster = Cluster(directory=tmp_path, index=xdist_index(worker_id), static_root=demo_backup["static_root"])
    try:
        yield cluster
    finally:
        cluster.stop()
        psql(f'DROP DATABASE IF EXISTS "{cluster.database}" WITH (FORCE)')
