"""Issue 18's acceptance tests: the restore drill, and the loopback cluster (harness.py) — two web
nodes behind HAProxy, one PostgreSQL, one Redis, a Celery worker and beat, moto as the S3 stand-in.

Each scenario asserts counts: rows per table and file checksums after a restore; one attachment
uploaded on node A is the same bytes on node B and nowhere reachable without the access check; a
digest run whose worker is killed mid-run gives every recipient exactly one e-mail; with a web node
killed in a burst, every GET is answered and every write is done once or refused with a message.
"""

from __future__ import annotations

import hashlib
import re
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import date
from email import message_from_bytes
from pathlib import Path

import psycopg2
import pytest
import requests

from overview.dialog.models import DialogKind

from .conftest import demo_env
from .harness import PG, manage, recreate_database

pytestmark = pytest.mark.cluster

PASSWORD = "sba-demo-2026"  # the demo logins (README)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"cluster test " * 200


def connect(database: str):
    connection = psycopg2.connect(host=PG["host"], port=PG["port"], user=PG["user"], dbname=database)
    connection.autocommit = True
    return connection


def rows(database: str, sql: str, *params) -> list[tuple]:
    with connect(database) as connection, connection.cursor() as cursor:
        cursor.execute(sql, params)
        result = cursor.fetchall()
    connection.close()
    return result


def table_counts(database: str) -> dict[str, int]:
    """Rows per table, counted here (not by the backup code under test)."""
    connection = connect(database)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
        names = [row[0] for row in cursor.fetchall()]
        counts = {}
        for name in names:
            cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608 - names from the catalogue
            counts[name] = cursor.fetchone()[0]
    connection.close()
    return counts


def checksums(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


# --- The restore drill ---------------------------------------------------------------------------


def test_restore_drill_gives_the_same_rows_and_files(demo_backup, tmp_path, worker_id):
    target = f"sba_cluster_drill_{worker_id}"
    recreate_database(target)
    media = tmp_path / "restored-media"
    env = demo_env({**demo_backup, "database": target, "media": media})
    try:
        started = time.monotonic()
        out = manage("restore", str(demo_backup["archive"]), env=env).stdout
        seconds = time.monotonic() - started
        print(f"restore drill: {out.strip()} (wall clock {seconds:.1f} s)")

        source, restored = table_counts(demo_backup["database"]), table_counts(target)
        assert len(source) > 50 and sum(source.values()) > 10_000  # the demo, not an empty schema
        assert restored == source  # every table, every count
        original, copied = checksums(demo_backup["media"]), checksums(media)
        assert len(original) >= 3
        assert copied == original  # every file, byte for byte
        assert source["inquiries_attachment"] == len(original)

        # Restoring again into the now non-empty database is refused, and changes nothing.
        with pytest.raises(RuntimeError, match="is not empty"):
            manage("restore", str(demo_backup["archive"]), env=env)
        assert table_counts(target) == source
    finally:
        recreate_database(target)


# --- The cluster ---------------------------------------------------------------------------------


def sign_in(base: str, email: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/konto/login/", timeout=20).raise_for_status()
    response = session.post(
        f"{base}/konto/login/",
        data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=20,
    )
    assert response.status_code == 302, f"sign-in of {email} through {base}: {response.status_code}"
    return session


def wait(predicate, timeout: float, what: str, cluster, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{cluster.all_logs()}")


def test_cluster(cluster, demo_backup):
    started = time.monotonic()
    cluster.start_s3()
    cluster.restore_database(demo_backup["archive"])  # the demo, its files into the bucket
    cluster.fast_sweepers()
    db = cluster.database
    objects = cluster.s3_client.list_objects_v2(Bucket=cluster.bucket).get("KeyCount", 0)
    assert objects == rows(db, "SELECT count(*) FROM inquiries_attachment")[0][0] >= 3
    cluster.start_web("a")
    cluster.start_web("b")
    cluster.start_balancer()
    cluster.start_worker()
    cluster.start_beat()
    print(f"cluster up in {time.monotonic() - started:.1f} s")

    upload_on_one_node_download_on_the_other(cluster, db)
    request_id_follows_into_the_task(cluster)
    digest_run_with_worker_killed_delivers_exactly_once(cluster, db)
    web_node_killed_during_a_burst(cluster, db)
    print(f"cluster test done in {time.monotonic() - started:.1f} s")


def upload_on_one_node_download_on_the_other(cluster, db):
    flen = sign_in(cluster.balancer, "flen@sba.example")  # through the balancer
    candidates = rows(
        db,
        "SELECT d.id FROM inquiries_dispatch d JOIN members_kommun k ON k.id = d.kommun_id "
        "WHERE k.code = '0482' AND NOT EXISTS (SELECT 1 FROM inquiries_answer a WHERE a.dispatch_id = d.id) "
        "ORDER BY d.id",
    )
    contact = rows(
        db,
        "SELECT c.id FROM members_contact c JOIN members_kommun k ON k.id = c.kommun_id "
        "WHERE k.code = '0482' AND c.role = 'naringslivschef' AND c.is_active",
    )[0][0]
    before = rows(db, "SELECT count(*) FROM inquiries_attachment")[0][0]
    for (dispatch,) in candidates:  # the first one still open for an answer
        response = flen.post(
            f"{cluster.node('a')}/forfragningar/utskick/{dispatch}/",
            data={
                "decision": "interested",
                "offer": "Vi har mark.",
                "contact": contact,
                "csrfmiddlewaretoken": flen.cookies["csrftoken"],
            },
            files={"files": ("offert.pdf", PDF, "application/pdf")},
            allow_redirects=False,
            timeout=30,
        )
        if response.status_code == 302:
            break
    else:
        raise AssertionError(f"no open dispatch of Flen took the answer: {candidates}")
    assert rows(db, "SELECT count(*) FROM inquiries_attachment")[0][0] == before + 1
    pk, name = rows(db, "SELECT id, file FROM inquiries_attachment ORDER BY id DESC LIMIT 1")[0]
    assert cluster.s3_client.list_objects_v2(Bucket=cluster.bucket)["KeyCount"] == before + 1

    # Node B serves the same bytes (shared session in Redis + PostgreSQL, shared bucket).
    download = flen.get(f"{cluster.node('b')}/forfragningar/bilagor/{pk}/", timeout=30)
    assert download.status_code == 200
    assert download.content == PDF
    assert "offert.pdf" in download.headers["Content-Disposition"]
    assert cluster.s3 not in download.text and "X-Amz" not in str(download.headers)  # streamed, no bucket URL

    # The access check: another kommun gets 404, an anonymous visitor the sign-in page.
    varmdo = sign_in(cluster.balancer, "varmdo@sba.example")
    assert varmdo.get(f"{cluster.balancer}/forfragningar/bilagor/{pk}/", timeout=30).status_code == 404
    anonymous = requests.get(f"{cluster.balancer}/forfragningar/bilagor/{pk}/", allow_redirects=False, timeout=30)
    assert anonymous.status_code == 302 and "/konto/login/" in anonymous.headers["Location"]

    # The bucket itself: the object's URL without a signature is refused by the S3 stand-in …
    bucket_url = f"{cluster.s3}/{cluster.bucket}/{name}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(bucket_url, timeout=10)  # noqa: S310 - loopback
    assert refused.value.code == 403
    # … while the same object, signed (what only the portal's credentials can do), is there.
    signed = cluster.s3_client.generate_presigned_url(
        "get_object", Params={"Bucket": cluster.bucket, "Key": name}, ExpiresIn=60
    )
    with urllib.request.urlopen(signed, timeout=10) as response:  # noqa: S310 - loopback
        assert response.read() == PDF
    # The object was stored private: no grant to everyone.
    grants = cluster.s3_client.get_object_acl(Bucket=cluster.bucket, Key=name)["Grants"]
    assert not [g for g in grants if "AllUsers" in str(g.get("Grantee", {}).get("URI", ""))]


def request_id_follows_into_the_task(cluster):
    """A request through the balancer with an X-Request-ID: the e-mail task it enqueues logs that id."""
    request_id = f"cluster-{uuid.uuid4().hex}"
    session = requests.Session()
    session.get(f"{cluster.balancer}/konto/password_reset/", timeout=20)
    response = session.post(
        f"{cluster.balancer}/konto/password_reset/",
        data={"email": "flen@sba.example", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"X-Request-ID": request_id},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302
    assert response.headers["X-Request-ID"] == request_id
    worker = cluster.processes["worker"]
    wait(lambda: request_id in worker.text(), 30, "the worker to log the request id", cluster)
    lines = [line for line in worker.text().splitlines() if request_id in line]
    assert any('"request_id": "' + request_id in line and "deliver_message" in line for line in lines), lines


def digest_run_with_worker_killed_delivers_exactly_once(cluster, db):
    pending = "SELECT count(*) FROM outbox_message WHERE status IN ('queued', 'in_flight')"
    wait(lambda: rows(db, pending)[0][0] == 0, 60, "earlier e-mails to be delivered", cluster)
    time.sleep(0.5)
    before = {p.name for p in cluster.mailbox.glob("*.eml")}

    def new_mail() -> list[Path]:
        return [p for p in cluster.mailbox.glob("*.eml") if p.name not in before]

    manage(
        "shell",
        "-c",
        "from digests.tasks import send_digests; send_digests.delay('kommun_weekly', '2026-W47')",
        env=cluster.env(),
    )

    def mid_run():
        return len(new_mail()) >= 2 and any(cluster.mailbox.glob("sending-*"))

    wait(mid_run, 60, "the digest deliveries to start", cluster, 0.02)
    cluster.processes["worker"].kill()
    delivered_before_kill = len(new_mail())
    cluster.start_worker()  # restarted: the sweepers (beat, every 2 s here) hand it what was cut short

    digests = "SELECT count(*) FROM outbox_message WHERE kind = 'kommun_weekly' AND status = 'sent'"
    done = "SELECT count(*) FROM digests_digestrun WHERE kind = 'kommun_weekly' AND status = 'done'"

    def settled():
        total = rows(db, "SELECT count(*) FROM outbox_message WHERE kind = 'kommun_weekly'")[0][0]
        return rows(db, done)[0][0] == 1 and rows(db, digests)[0][0] == total and rows(db, pending)[0][0] == 0

    wait(settled, 90, "the run to finish after the kill", cluster, 0.5)
    time.sleep(1)
    recipients = [to for (to,) in rows(db, "SELECT \"to\" FROM outbox_message WHERE kind = 'kommun_weekly'")]
    received = Counter(message_from_bytes(p.read_bytes())["To"] for p in new_mail())
    print(
        f"digest: {len(recipients)} recipients, {delivered_before_kill} delivered before the kill, "
        f"{sum(received.values())} e-mails in all"
    )
    assert len(recipients) >= 3 and delivered_before_kill < len(recipients)
    assert received == Counter(dict.fromkeys(recipients, 1))  # every recipient exactly once, nothing else


# The balancer's error pages (deploy/haproxy/50x.http) say what happened in Swedish and English.
ERROR_PAGE = "<h1>SBA Portal</h1>"


def web_node_killed_during_a_burst(cluster, db):
    staff = sign_in(cluster.balancer, "staff@sba.example")
    kommun = rows(db, "SELECT id FROM members_kommun WHERE code = '0482'")[0][0]
    staff_pk = rows(db, "SELECT id FROM members_user WHERE email = 'staff@sba.example'")[0][0]
    burst = uuid.uuid4().hex[:8]
    plan = []
    for i in range(60):
        if i % 3 == 2:
            plan.append(("POST", "/oversikt/dialog/ny/", f"burst-{burst}-{i}"))
        else:
            plan.append(("GET", "/healthz/ready" if i % 2 else "/oversikt/dialog/", None))

    cookies = staff.cookies.get_dict()

    def send(method: str, path: str, title: str | None):
        # A new connection per request, like many browsers at once (and no stale keep-alive reuse).
        client = requests.Session()
        client.cookies.update(cookies)
        client.headers["Connection"] = "close"
        token = cookies["csrftoken"]
        try:
            return method, path, title, *_send(client, method, path, title, token)
        except requests.RequestException as exc:
            return method, path, title, None, repr(exc)

    def _send(client, method: str, path: str, title: str | None, token: str):
        if method == "GET":
            response = client.get(f"{cluster.balancer}{path}", allow_redirects=False, timeout=60)
        else:
            response = client.post(
                f"{cluster.balancer}{path}",
                data={
                    "kind": DialogKind.values[0],
                    "date": date.today().isoformat(),
                    "title": title,
                    "kommuner": [kommun],
                    "staff": [staff_pk],
                    "notes": "",
                    "internal_notes": "",
                    "csrfmiddlewaretoken": token,
                },
                allow_redirects=False,
                timeout=60,
            )
        return response.status_code, response.text

    haproxy = cluster.processes["haproxy"]

    def marked_down(server: str, since: int) -> bool:
        # Only what HAProxy logged after the kill: an earlier DOWN (a check lost at start-up) says nothing.
        return f"Server web/{server} is DOWN" in haproxy.text()[since:]

    results = []
    killed_at = None
    logged_before_kill = 0
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(send, *item) for item in plan]
        for future in as_completed(futures):
            results.append(future.result())
            if len(results) == 15:
                killed_at = time.monotonic()
                logged_before_kill = len(haproxy.text())
                cluster.processes["web-a"].kill()  # SIGKILL: requests in its hands are cut off
    assert killed_at is not None

    gets = [r for r in results if r[0] == "GET"]
    posts = [r for r in results if r[0] == "POST"]
    assert len(gets) == 40 and len(posts) == 20
    balancer_log = cluster.processes["haproxy"].text()[-6000:]
    assert Counter(status for *_, status, _ in gets) == Counter({200: 40}), (
        [r[:4] for r in gets if r[3] != 200],
        balancer_log,
    )
    titles = Counter(
        title for (title,) in rows(db, "SELECT title FROM overview_dialogentry WHERE title LIKE %s", f"burst-{burst}-%")
    )
    assert all(count == 1 for count in titles.values()), titles  # never twice
    done = [r for r in posts if r[3] == 302]
    refused = [r for r in posts if r[3] != 302]
    for _method, _path, title, _status, _text in done:
        assert titles[title] == 1
    for _method, _path, _title, status, text in refused:
        assert status in (502, 503, 504) and ERROR_PAGE in text, (status, text[:300], balancer_log)
    assert len(done) + len(refused) == 20
    assert len(titles) >= len(done)  # a refused write may have been done (the page says so), once
    log = cluster.processes["haproxy"].text()
    # HAProxy's log: the last field of the five counters is "+N" for a request redispatched to the
    # other node after N retries; and the health check took the dead node out.
    redispatched = len(re.findall(r" \d+/\d+/\d+/\d+/\+\d+ ", log))
    print(
        f"burst: 40/40 GET answered, {len(done)} writes done, {len(refused)} refused with the message, "
        f"{redispatched} requests redispatched"
    )
    # The health check (inter 1 s, fall 2) takes the dead node out within seconds; a short burst can
    # end before it has, so wait for it rather than race it.
    wait(lambda: marked_down("web-a", logged_before_kill), 15, "web-a marked down", cluster)
    assert redispatched >= 1

    # With no node left, a write is refused at once with the balancer's page, and nothing is done.
    logged_before_kill = len(haproxy.text())
    cluster.processes["web-b"].kill()
    wait(lambda: marked_down("web-b", logged_before_kill), 15, "web-b marked down", cluster)
    title = f"burst-{burst}-after"
    *_request, status, text = send("POST", "/oversikt/dialog/ny/", title)
    assert status == 503 and ERROR_PAGE in text and "Försök igen om en stund" in text
    assert rows(db, "SELECT count(*) FROM overview_dialogentry WHERE title = %s", title)[0][0] == 0
