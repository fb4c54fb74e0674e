"""The benchmark: the portal's key pages at the region's real size, today and ten years on.

    make bench                       # = .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --sizes today --duration 5 --runs 3 --rebuild

Needs PostgreSQL reachable as a superuser-ish role that may create databases (default
postgres://postgres@127.0.0.1:5432, override with BENCH_DATABASE_URL, no database name), Redis for
the session cache (default redis://127.0.0.1:6379/8, BENCH_REDIS_URL; empty = local memory) and
`wrk` (installed with apt-get when missing and running as root).

For each size it
1. creates the database sba_bench_<size> and generates the data set once (bench/dataset.py; a
   marker table makes later runs reuse it; --rebuild drops it first);
2. counts each page's queries in-process and times rating, the NKI import and the digests
   (bench/worker.py);
3. serves the portal with gunicorn as in production (DEBUG off, cached templates, persistent
   connections, collected static files) plus the floor view (BENCH_FLOOR=1), and loads every page
   with wrk as a signed-in user at 1 and 10 concurrent connections, only on 127.0.0.1.
Prints a table and writes bench/results/<timestamp>.json. Figures are medians over --runs.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULTS = BASE_DIR / "bench" / "results"
FLOOR = {"name": "floor", "url": "/bench-floor/", "user": None, "queries": 0}
SIGNED_IN_FLOOR = {"name": "floor signed-in", "url": "/bench-floor/signed-in/", "user": "staff", "queries": 2}

TARGETS = {
    "p95_ms": 150,
    "cold_p95_ms": 100,
    "cold_ms": 30,
    "tenyears_vs_today": 0.80,
    "vs_floor": 0.25,
    "signed_in_floor": 0.50,
    "rate_ms": 10,
    "nki_s": 5,
    "digests_s": 15,
}


def wrk_threads(connections: int) -> int:
    """As many load-generator threads as cores (never more than connections), so that wrk itself
    does not limit the floor."""
    return max(1, min(connections, os.cpu_count() or 1))


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def log(message: str) -> None:
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


def base_env() -> dict:
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        HTTPS="false",
        SECRET_KEY=env.get("BENCH_SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        ALLOWED_HOSTS="127.0.0.1,testserver",
        CONN_MAX_AGE="600",
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(BASE_DIR),
    )
    env.pop("BENCH_FLOOR", None)
    env.pop("CELERY_BROKER_URL", None)
    return env


def server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def database_url(size: str) -> str:
    parts = urlsplit(server_url())
    return urlunsplit((parts.scheme, parts.netloc, f"/sba_bench_{size}", "", ""))


def admin_sql(sql: str) -> None:
    import psycopg2

    parts = urlsplit(server_url())
    conn = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


def ensure_database(size: str, rebuild: bool) -> None:
    name = f"sba_bench_{size}"
    if rebuild:
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    try:
        admin_sql(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        if "already exists" not in str(exc):
            raise


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing wrk (apt-get install -y wrk)")
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, stdout=subprocess.DEVNULL)
        return shutil.which("wrk") or sys.exit("wrk could not be installed")
    sys.exit("The benchmark needs wrk: apt-get install wrk (Debian/Ubuntu) or brew install wrk.")


def worker(command: str, size: str, env: dict) -> dict:
    proc = subprocess.run(
        [PYTHON, str(BASE_DIR / "bench" / "worker.py"), command, "--size", size],
        env=env,
        capture_output=True,
        text=True,
        cwd=BASE_DIR,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-6000:])
        sys.exit(f"bench/worker.py {command} --size {size} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1:<free port>, sync workers, as deployed."""

    def __init__(self, env: dict, workers: int):
        self.port = free_port()
        self.env = {**env, "BENCH_FLOOR": "1"}
        self.workers = workers
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.proc = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "sba_portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--log-level",
                "warning",
                "--timeout",
                "60",
            ],
            env=self.env,
            cwd=BASE_DIR,
            start_new_session=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/bench-floor/", timeout=2).read()
                return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        sys.exit("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)

    def get(self, path: str, cookie: str | None) -> int:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}")
        if cookie:
            request.add_header("Cookie", cookie)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wrk(wrk_path: str, port: int, path: str, cookie: str | None, connections: int, seconds: int) -> dict:
    command = [wrk_path, f"-t{wrk_threads(connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(BASE_DIR / "bench" / "report.lua")]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"BENCH_JSON (\{.*\})", out)
    if not match:
        sys.exit(f"wrk gave no report:\n{out}")
    return json.loads(match.group(1))


def median_of(runs: list[dict]) -> dict:
    keys = ("rps", "p50_ms", "p95_ms", "p99_ms")
    result = {key: round(statistics.median(r[key] for r in runs), 2) for key in keys}
    result["errors"] = sum(r["errors_status"] + r["errors_other"] for r in runs)
    result["runs"] = runs
    return result


def run_size(size: str, args, wrk_path: str, static_root: str) -> dict:
    env = {**base_env(), "DATABASE_URL": database_url(size), "STATIC_ROOT": static_root}
    ensure_database(size, args.rebuild)
    log(f"{size}: preparing the data set (generated once, reused later)")
    prepared = worker("prepare", size, env)
    if prepared.get("generated"):
        log(f"{size}: generated in {prepared['seconds']} s: {prepared['counts']}")
    log(f"{size}: counting queries and timing rating, NKI import, digests")
    measured = worker("measure", size, env)
    pages = [FLOOR, SIGNED_IN_FLOOR, *measured["pages"]]
    for page in measured["pages"]:
        if page["status"] != 200:
            sys.exit(f"{size}: {page['name']} {page['url']} answered {page['status']} in-process")
    results = {page["name"]: {**page, "load": {}, "cold_load": {}} for page in pages}
    load_averages = {}
    # Warm: the portal as deployed. Cold: fresh members.cache keys per request (CACHE_FRAGMENTS_OFF),
    # so every request pays what the first reader after a write pays.
    for mode, extra, slot in (("warm", {}, "load"), ("cold", {"CACHE_FRAGMENTS_OFF": "1"}, "cold_load")):
        before = load_average()
        log(f"{size} {mode}: load average before {before}")
        with Server({**env, **extra}, args.workers) as server:
            for page in pages:
                cookie = measured["cookies"][page["user"]] if page["user"] else None
                status = server.get(page["url"], cookie)
                if status != 200:
                    sys.exit(f"{size}: {page['name']} {page['url']} answered {status} under gunicorn")
                for _ in range(3):  # warm each worker's connection and template cache
                    server.get(page["url"], cookie)
            for connections in args.concurrency:
                for page in pages:
                    cookie = measured["cookies"][page["user"]] if page["user"] else None
                    runs = [
                        wrk(wrk_path, server.port, page["url"], cookie, connections, args.duration)
                        for _ in range(args.runs)
                    ]
                    results[page["name"]][slot][str(connections)] = r = median_of(runs)
                    log(
                        f"{size} {mode} c={connections:<2} {page['name']:<16} {r['rps']:8.1f} req/s"
                        f"  p95 {r['p95_ms']:7.1f} ms"
                    )
        load_averages[mode] = {"before": before, "after": load_average()}
        log(f"{size} {mode}: load average after {load_averages[mode]['after']}")
    return {"pages": results, "timings": measured["timings"], "prepared": prepared, "load_average": load_averages}


def _table(report: dict, args, slot: str, title: str, p95_target: int) -> None:
    sizes = list(report["sizes"])
    print()
    print(title)
    header = f"{'size':<9} {'page':<17} {'queries':>9} " + " ".join(
        f"{'c=' + str(c) + ' req/s':>11} {'p50':>6} {'p95':>7} {'×floor':>6}" for c in args.concurrency
    )
    print(header)
    print("-" * len(header))
    for size in sizes:
        pages = report["sizes"][size]["pages"]
        floor = pages["floor"]["load"]  # the anonymous floor, warm (it has no cache to turn off)
        for name, page in pages.items():
            if not page.get(slot):
                continue
            cells = []
            for c in args.concurrency:
                load = page[slot][str(c)]
                ratio = load["rps"] / floor[str(c)]["rps"] if floor[str(c)]["rps"] else 0
                load["vs_floor"] = round(ratio, 3)
                flag = (
                    "!" if (c == max(args.concurrency) and size == "tenyears" and load["p95_ms"] > p95_target) else " "
                )
                cells.append(f"{load['rps']:>11.1f} {load['p50_ms']:>6.1f} {load['p95_ms']:>6.1f}{flag} {ratio:>6.2f}")
            queries = f"{page.get('queries', 0)}/{page.get('cold_queries', 0)}"
            print(f"{size:<9} {name:<17} {queries:>9} " + " ".join(cells))
        averages = (
            report["sizes"][size].get("load_average", {}).get(slot.replace("_load", "") if slot != "load" else "warm")
        )
        if averages:
            print(f"{'':<9} load average before {averages['before']}, after {averages['after']}")


def print_report(report: dict, args) -> None:
    sizes = list(report["sizes"])
    cores = os.cpu_count() or 1
    print()
    print(
        f"SBA Portal benchmark — {report['machine']['cpu']} × {report['machine']['nproc']}, "
        f"{report['machine']['memory_gb']} GB; gunicorn {args.workers} sync workers; wrk {args.duration} s × "
        f"{args.runs} run(s), medians; wrk threads = min(connections, {cores} cores), so the load generator "
        "does not limit the floor"
    )
    _table(report, args, "load", f"WARM (as deployed; ! = p95 over {TARGETS['p95_ms']} ms)", TARGETS["p95_ms"])
    _table(
        report,
        args,
        "cold_load",
        "COLD (every request the first reader after a write, CACHE_FRAGMENTS_OFF=1; "
        f"! = p95 over {TARGETS['cold_p95_ms']} ms)",
        TARGETS["cold_p95_ms"],
    )
    print()
    print(f"signed-in floor against the anonymous floor (target ≥ {TARGETS['signed_in_floor']:.2f}):")
    for size in sizes:
        pages = report["sizes"][size]["pages"]
        ratios = []
        for c in args.concurrency:
            anonymous, signed = pages["floor"]["load"][str(c)]["rps"], pages["floor signed-in"]["load"][str(c)]["rps"]
            ratios.append(f"c={c} {signed / anonymous if anonymous else 0:.2f}")
        print(f"  {size:<9} " + ", ".join(ratios))
    if "today" in sizes and "tenyears" in sizes:
        print()
        print("ten years on vs today (throughput at the highest concurrency; target ≥ 0.80; queries equal):")
        c = str(max(args.concurrency))
        for name, page in report["sizes"]["tenyears"]["pages"].items():
            today = report["sizes"]["today"]["pages"][name]
            ratio = page["load"][c]["rps"] / today["load"][c]["rps"] if today["load"][c]["rps"] else 0
            page["tenyears_vs_today"] = round(ratio, 3)
            counts = ("queries", "cold_queries")
            same = (
                "same (warm and cold)"
                if all(page.get(k, 0) == today.get(k, 0) for k in counts)
                else "DIFFERENT ("
                + ", ".join(f"{k}: {today.get(k)} → {page.get(k)}" for k in counts if page.get(k) != today.get(k))
                + ")"
            )
            print(f"  {name:<17} {ratio:5.2f}  queries {same}")
    print()
    print("queries = warm/cold: warm is every reader until the next write; cold is the first reader after a")
    print(
        "write retired the cached parts. In-process time of one request, warm / cold "
        f"(cold target ≤ {TARGETS['cold_ms']} ms):"
    )
    for size in sizes:
        pages = report["sizes"][size]["pages"]
        print(
            f"  {size:<9} "
            + "; ".join(f"{name} {p['warm_ms']}/{p['cold_ms']} ms" for name, p in pages.items() if "cold_ms" in p)
        )
    print()
    print(
        f"timings (targets: rate ≤ {TARGETS['rate_ms']} ms, NKI import ≤ {TARGETS['nki_s']} s, "
        f"all digests ≤ {TARGETS['digests_s']} s):"
    )
    for size in sizes:
        t = report["sizes"][size]["timings"]
        print(
            f"  {size:<9} rate all members {t.get('rate_all_members_ms', '–')} ms; "
            f"NKI import {t.get('nki_import_values', '–')} values: xlsx {t.get('nki_import_xlsx_s', '–')} s, "
            f"csv {t.get('nki_import_csv_s', '–')} s; "
            f"{t.get('digests_built', '–')} digests in {t.get('all_digests_s', '–')} s"
        )


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    except (OSError, AttributeError):
        mem_kb = 0
    return {
        "cpu": cpu,
        "nproc": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "load_average": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="today,tenyears", help="comma-separated: today,tenyears")
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per page, concurrency and run")
    parser.add_argument("--runs", type=int, default=1, help="wrk runs per page and concurrency (median)")
    parser.add_argument("--concurrency", default="1,10", help="comma-separated connection counts")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--rebuild", action="store_true", help="drop and regenerate the data sets")
    args = parser.parse_args()
    args.concurrency = [int(c) for c in args.concurrency.split(",")]
    sizes = [s for s in args.sizes.split(",") if s]
    wrk_path = ensure_wrk()
    started = time.time()
    report = {
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "args": dict(vars(args)),
        "sizes": {},
    }
    with tempfile.TemporaryDirectory(prefix="sba-bench-static-") as static_root:
        env = {**base_env(), "DATABASE_URL": database_url(sizes[0]), "STATIC_ROOT": static_root}
        log("collectstatic into a temporary STATIC_ROOT")
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], env=env, cwd=BASE_DIR, check=True)
        for size in sizes:
            report["sizes"][size] = run_size(size, args, wrk_path, static_root)
    report["seconds"] = round(time.time() - started)
    print_report(report, args)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"\n{report['seconds']} s in all; results in {out.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
