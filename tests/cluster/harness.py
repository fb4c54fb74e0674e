"""The loopback cluster: everything of a multi-node deployment, on 127.0.0.1, as deployed.

- two web nodes: gunicorn with deploy/gunicorn.conf.py (the systemd unit's command);
- HAProxy with deploy/haproxy/haproxy.cfg (the production file; addresses from the environment);
- one PostgreSQL database (restored from the demo backup), one Redis database (cache, sessions,
  broker), one Celery worker and one beat;
- moto's standalone S3 server as the object store. moto is a STAND-IN for S3 (AWS, MinIO, Ceph): it
  speaks the S3 API and checks signatures well enough to refuse an unsigned request to a private
  object, which is what the tests rely on; it is not a production object store.

Every process gets its own process group, so stop() ends exactly the processes this harness started.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DEPLOY = BASE_DIR / "deploy"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def pg_url(name: str) -> str:
    return f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{name}"


def psql(sql: str, database: str = "postgres") -> str:
    program = shutil.which("psql") or "psql"
    done = subprocess.run(
        [program, "-h", PG["host"], "-U", PG["user"], "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"psql failed: {sql}\n{done.stderr}")
    return done.stdout.strip()


def recreate_database(name: str) -> None:
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{name}"')


def manage(*args: str, env: dict, timeout: float = 300) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def wait_http(url: str, timeout: float, expect=(200,)) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status in expect:
                    return
                last = response.status
        except urllib.error.HTTPError as exc:
            last = exc.code
            if exc.code in expect:
                return
        except OSError as exc:
            last = exc
        time.sleep(0.2)
    raise AssertionError(f"{url} not answering {expect} after {timeout} s (last: {last})")


def base_env(**extra: str) -> dict:
    """The environment of the test process, less what points at the test's own services."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_"))}
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "ZEAL", "STORAGE_S3_BUCKET"):
        env.pop(name, None)
    env.update(extra)
    return env


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def kill(self) -> None:
        """SIGKILL the whole process group: no graceful shutdown, nothing finished."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)

    def stop(self) -> None:
        if self.popen.poll() is not None:
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class Cluster:
    directory: Path
    index: int  # the xdist worker number: its own ports, database and Redis database
    static_root: Path
    processes: dict[str, Process] = field(default_factory=dict)
    logs: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        base = 18010 + 20 * self.index
        self.balancer_port, self.port_a, self.port_b, self.s3_port = base, base + 1, base + 2, base + 3
        self.database = f"sba_cluster_live_{self.index}"
        self.redis_url = f"redis://127.0.0.1:6379/{14 + self.index}"
        self.bucket = f"sba-cluster-{self.index}"
        self.mailbox = self.directory / "mailbox"

    @property
    def balancer(self) -> str:
        return f"http://127.0.0.1:{self.balancer_port}"

    def node(self, which: str) -> str:
        return f"http://127.0.0.1:{self.port_a if which == 'a' else self.port_b}"

    @property
    def s3(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def env(self, **extra: str) -> dict:
        return base_env(
            DEBUG="false",
            HTTPS="false",
            SECRET_KEY="cluster-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SITE_URL=self.balancer,
            BEHIND_PROXY="true",
            DATABASE_URL=pg_url(self.database),
            REDIS_URL=self.redis_url,
            STATIC_ROOT=str(self.static_root),
            STORAGE_S3_BUCKET=self.bucket,
            STORAGE_S3_ENDPOINT_URL=self.s3,
            STORAGE_S3_REGION="us-east-1",
            STORAGE_S3_ADDRESSING_STYLE="path",
            AWS_ACCESS_KEY_ID="cluster-test",
            AWS_SECRET_ACCESS_KEY="cluster-test-secret",
            EMAIL_URL=f"filemail:///{self.mailbox}",
            EMAIL_BACKEND="tests.outbox.backends.SlowFileBackend",
            MAIL_DELAY_SECONDS="0.3",
            LOG_FORMAT="json",
            # Short sweeper thresholds, so a killed worker's work is picked up in seconds, not minutes.
            OUTBOX_STUCK_AFTER_SECONDS="3",
            OUTBOX_REQUEUE_AFTER_SECONDS="3",
            DIGEST_RUN_STALE_AFTER_SECONDS="3",
            CONN_MAX_AGE="0",
            **extra,
        )

    def spawn(self, name: str, argv: list[str], env: dict | None = None) -> Process:
        log = self.directory / f"{name}-{len(self.logs)}.log"
        self.logs.append(log)
        with open(log, "wb") as out:
            popen = subprocess.Popen(
                argv,
                cwd=BASE_DIR,
                env=env or self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Process(name, popen, log)
        self.processes[name] = process
        return process

    def all_logs(self, tail: int = 4000) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-tail:]}" for p in self.logs if p.exists())

    # --- the pieces ------------------------------------------------------------------------------

    def start_s3(self) -> None:
        self.spawn("moto", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.s3_port)])
        wait_http(f"{self.s3}/moto-api/", 30)
        import boto3

        s3 = boto3.client(
            "s3",
            endpoint_url=self.s3,
            region_name="us-east-1",
            aws_access_key_id="cluster-test",
            aws_secret_access_key="cluster-test-secret",
        )
        s3.create_bucket(Bucket=self.bucket, ACL="private")
        self.s3_client = s3

    def restore_database(self, archive: Path) -> str:
        recreate_database(self.database)
        import redis

        redis.Redis.from_url(self.redis_url).flushdb()
        return manage("restore", str(archive), env=self.env()).stdout

    def fast_sweepers(self) -> None:
        """Beat runs the two sweepers every 2 s here (every 5 and 2 minutes in production) and nothing
        else (the digest schedules would otherwise fire on their day)."""
        psql(
            "INSERT INTO django_celery_beat_intervalschedule (every, period) VALUES (2, 'seconds');"
            "UPDATE django_celery_beat_periodictask SET enabled = false;"
            "UPDATE django_celery_beat_periodictask SET enabled = true, crontab_id = NULL, "
            "interval_id = (SELECT max(id) FROM django_celery_beat_intervalschedule) "
            "WHERE task IN ('outbox.tasks.sweep_outbox', 'digests.tasks.sweep_digest_runs');"
            "UPDATE django_celery_beat_periodictasks SET last_update = now();",
            self.database,
        )

    def start_web(self, which: str) -> Process:
        port = self.port_a if which == "a" else self.port_b
        env = self.env(GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2")
        process = self.spawn(
            f"web-{which}", [str(BIN / "gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py"), "sba_portal.wsgi"], env
        )
        wait_http(f"{self.node(which)}/healthz/ready", 60)
        return process

    def start_balancer(self) -> None:
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        env = self.env(
            HAPROXY_BIND=f"127.0.0.1:{self.balancer_port}",
            WEB_A=f"127.0.0.1:{self.port_a}",
            WEB_B=f"127.0.0.1:{self.port_b}",
            HAPROXY_ERRORS=str(DEPLOY / "haproxy"),
        )
        self.spawn("haproxy", [haproxy, "-db", "-f", str(DEPLOY / "haproxy" / "haproxy.cfg")], env)
        wait_http(f"{self.balancer}/healthz/live", 30)

    def start_worker(self) -> Process:
        process = self.spawn(
            "worker",
            [str(BIN / "celery"), "-A", "sba_portal", "worker", "--loglevel", "INFO", "--concurrency", "1",
             f"--hostname=cluster-{len(self.logs)}@%h", "--without-gossip", "--without-mingle"],
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while " ready." not in process.text():
            if time.monotonic() > deadline or process.popen.poll() is not None:
                raise AssertionError(f"the worker did not start\n{process.text()}")
            time.sleep(0.2)
        return process

    def start_beat(self) -> Process:
        return self.spawn("beat", [str(BIN / "celery"), "-A", "sba_portal", "beat", "--loglevel", "INFO", "--pidfile="])

    def stop(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.stop()
        # A killed-and-restarted process is replaced in `processes`; its old group is gone already.
