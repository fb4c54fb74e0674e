"""A real Celery worker in a subprocess, against REDIS_URL and the PostgreSQL test database.

Used by the service tests in tests/outbox and tests/digests. They skip on a laptop without Redis or
PostgreSQL and fail under CI=true (tests.conftest.require_service). The worker sees the test
database because its DATABASE_URL names it; the tests commit (transaction=True) so it sees the rows.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from ..conftest import require_service
from .backends import read_mailbox

BASE_DIR = Path(__file__).resolve().parents[2]


def services_available() -> bool:
    url = os.environ.get("REDIS_URL", "")
    if connection.vendor != "postgresql" or not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def test_database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "postgres") + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def closed_port() -> int:
    """A local port nothing listens on: a mail server that refuses connections."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, interval: float = 0.1, message="condition", worker=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    log = f"\n--- worker log ---\n{worker.all_logs()}" if worker is not None else ""
    raise AssertionError(f"timed out after {timeout} s waiting for {message}{log}")


class Worker:
    def __init__(self, directory: Path, **env: str) -> None:
        self.directory = directory
        self.mailbox = directory / "mailbox"
        self.env = env
        self.process: subprocess.Popen | None = None
        self.logs: list[Path] = []

    def start(self, **env: str) -> Worker:
        self.env.update(env)
        log = self.directory / f"worker-{len(self.logs)}.log"
        self.logs.append(log)
        environment = {
            **os.environ,
            "DATABASE_URL": test_database_url(),
            "CONN_MAX_AGE": "0",
            "EMAIL_URL": f"filemail:///{self.mailbox}",
            "EMAIL_BACKEND": "tests.outbox.backends.SlowFileBackend",
            "OUTBOX_RETRY_BASE_SECONDS": "1",
            "OUTBOX_MAX_ATTEMPTS": "3",
            **self.env,
        }
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "sba_portal",
                    "worker",
                    "--loglevel=INFO",
                    "--concurrency=1",
                    "--pool=prefork",
                    f"--hostname=test-{uuid.uuid4().hex[:8]}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=BASE_DIR,
                env=environment,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill() takes the pool children too
            )
        wait_for(lambda: " ready." in self.log_text(), 40, 0.2, "the worker to start", worker=self)
        return self

    def log_text(self) -> str:
        return self.logs[-1].read_text(errors="replace") if self.logs else ""

    def all_logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.logs)

    def kill(self) -> None:
        """SIGKILL the worker and its pool: no graceful shutdown, no acks, no clean-up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def received(self) -> Counter:
        """How many e-mails each address got."""
        return Counter(m["To"] for m in read_mailbox(self.mailbox))


@pytest.fixture
def celery_worker(transactional_db, settings, tmp_path):
    """A factory for a real worker; tasks from the test go to the broker, not in-process."""
    require_service("Redis, PostgreSQL and a Celery worker", services_available())
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()  # our own Redis db: no stale tasks
    settings.CELERY_TASK_ALWAYS_EAGER = False
    workers: list[Worker] = []

    def make(**env: str) -> Worker:
        worker = Worker(tmp_path, **env)
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.stop()
