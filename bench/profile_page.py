"""Development aid: where one page spends its time (cProfile, in-process, against a bench database).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sba_bench_today DEBUG=false HTTPS=false \
    SECRET_KEY=x ALLOWED_HOSTS=testserver .venv/bin/python bench/profile_page.py /oversikt/ [--kommun] [-n 20]

Prints the time per request, the slowest SQL statements and the top functions by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sba_portal.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from members.models import Kommun, User  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--kommun", action="store_true", help="as a kommun user instead of staff")
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()
    if args.kommun:
        user = User.objects.filter(kommun=Kommun.objects.members().order_by("code").first()).first()
    else:
        user = User.objects.filter(role=User.Role.STAFF).order_by("pk").first()
    client = Client()
    client.force_login(user)
    client.get(args.url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(args.url)
    print(f"{response.status_code}, {len(response.content)} bytes, {len(queries)} queries")
    for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:8]:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.n):
        client.get(args.url)
    profiler.disable()
    print(f"{(time.perf_counter() - started) / args.n * 1000:.1f} ms per request")
    pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(args.top)


if __name__ == "__main__":
    main()
