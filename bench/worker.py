"""One size's Django side of the benchmark, run by bench/run.py in its own process.

    python bench/worker.py prepare --size today     # migrate + generate once (marker table)
    python bench/worker.py measure --size today     # sessions, URLs, queries per page, timings

The database comes from DATABASE_URL (bench/run.py points it at sba_bench_<size>). Prints one JSON
object on the last line of stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sba_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import dataset  # noqa: E402

MARKER = "bench_marker"


def _marker() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT size FROM {MARKER}")  # noqa: S608 - constant name
        row = cursor.fetchone()
        return row[0] if row else None


def prepare(size_name: str) -> dict:
    size = dataset.SIZES[size_name]
    started = time.perf_counter()
    # Always: a reused data set gets the branch's new migrations (indexes) too.
    call_command("migrate", verbosity=0, interactive=False)
    from members import cache

    cache.retire_all()  # the data set is written in bulk, past the signals that retire cached pages
    if _marker() == size_name:
        return {"generated": False}
    counts = dataset.generate(size)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {MARKER} (size text, counts text)")
        cursor.execute(f"INSERT INTO {MARKER} VALUES (%s, %s)", [size_name, json.dumps(counts)])  # noqa: S608
        cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would have by now
    return {"generated": True, "seconds": round(time.perf_counter() - started, 1), "counts": counts}


def _pages() -> list[dict]:
    """The key pages: (name, URL, which user)."""
    from django.urls import NoReverseMatch, reverse

    from inquiries.models import Inquiry
    from members.models import Kommun

    member = Kommun.objects.members().order_by("code").first()
    # The inquiry page of a sent inquiry: the match table for every member plus its dispatches.
    inquiry = Inquiry.objects.filter(status=Inquiry.Status.SENT).order_by("-created_at").first()
    pages = [
        {"name": "staff overview", "url": reverse("overview:index"), "user": "staff"},
        {"name": "kommun list", "url": reverse("members:kommun_list"), "user": "staff"},
        {"name": "kommun page", "url": reverse("members:kommun_detail", args=[member.code]), "user": "staff"},
        {"name": "inquiry list", "url": reverse("inquiries:index"), "user": "staff"},
        {"name": "inquiry page", "url": reverse("inquiries:detail", args=[inquiry.pk]), "user": "staff"},
        {"name": "inquiry statistics", "url": reverse("inquiries:insight"), "user": "staff"},
        {"name": "kommun inbox", "url": reverse("inquiries:index"), "user": "kommun"},
        {"name": "NKI overview", "url": reverse("nki:index"), "user": "staff"},
    ]
    with contextlib.suppress(NoReverseMatch):  # before the NKI pages have landed
        pages.append({"name": "NKI kommun page", "url": reverse("nki:kommun", args=[member.code]), "user": "staff"})
    return pages


def _timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(size_name: str) -> dict:
    from digests import kinds
    from digests import services as digest_services
    from inquiries import selectors as inquiry_selectors
    from inquiries.models import Inquiry
    from members.models import Kommun, User

    staff = User.objects.filter(role=User.Role.STAFF, email__endswith="@bench.example").order_by("pk").first()
    member = Kommun.objects.members().order_by("code").first()
    kommun_user = User.objects.filter(kommun=member).order_by("pk").first()
    clients, cookies = {}, {}
    for key, user in (("staff", staff), ("kommun", kommun_user)):
        client = Client()
        client.force_login(user)  # a real session row (cached_db), as signing in makes
        clients[key] = client
        cookies[key] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    from members import cache

    pages = _pages()
    for page in pages:
        client = clients[page["user"]]
        client.get(page["url"])  # session renewal
        # Cold: right after a write retired every cached fragment and figure (the cost of a miss).
        cache.retire_all()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            client.get(page["url"])
            page["cold_ms"] = round((time.perf_counter() - started) * 1000, 1)
        page["cold_queries"] = len(queries)
        # Warm: what wrk measures, every later reader of the same page until the next write.
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(page["url"])
            page["warm_ms"] = round((time.perf_counter() - started) * 1000, 1)
        page["status"] = response.status_code
        page["queries"] = len(queries)
        page["bytes"] = len(response.content)

    result = {"size": size_name, "pages": pages, "cookies": cookies, "timings": {}}

    # Rating every member for one inquiry: what the inquiry page does (profiles in a few queries +
    # the pure rating). Target ≤ 50 ms.
    inquiry = Inquiry.objects.filter(status=Inquiry.Status.SENT).order_by("-created_at").first()
    result["timings"]["rate_all_members_ms"] = round(_timed(lambda: inquiry_selectors.rate_members(inquiry), 15), 2)

    # Building every digest for the region (dry run: built and rendered, nothing sent). Target ≤ 30 s.
    started = time.perf_counter()
    built = 0
    for kind in kinds.DIGEST_KINDS:
        report = digest_services.digests_send(
            kind=kind.code, period=digest_services.period_for(kind.code), dry_run=True
        )
        for digest in report.planned:
            digest_services.digest_render(digest)
        built += len(report.planned)
    result["timings"]["all_digests_s"] = round(time.perf_counter() - started, 2)
    result["timings"]["digests_built"] = built

    result["timings"].update(_nki_import())
    return result


def _nki_import() -> dict:
    """Import a full Insikt file (290 × 10 × 8 values) and roll it back. Target ≤ 10 s."""
    try:
        from bench.nki_import import csv_bytes, rows, xlsx
        from nki import services as nki_services
    except ImportError:
        return {}
    data = rows(1)
    content = xlsx(data)
    out = {"nki_import_values": len(data)}
    with transaction.atomic():
        started = time.perf_counter()
        report = nki_services.nki_import(content=content, file_name="bench.xlsx")
        out["nki_import_xlsx_s"] = round(time.perf_counter() - started, 2)
        out["nki_import_ok"] = bool(report.ok)
        transaction.set_rollback(True)  # leave the benchmark's data as generated
    with transaction.atomic():
        started = time.perf_counter()
        nki_services.nki_import(content=csv_bytes(data), file_name="bench.csv")
        out["nki_import_csv_s"] = round(time.perf_counter() - started, 2)
        transaction.set_rollback(True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["prepare", "measure"])
    parser.add_argument("--size", choices=sorted(dataset.SIZES), required=True)
    args = parser.parse_args()
    result = prepare(args.size) if args.command == "prepare" else measure(args.size)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
