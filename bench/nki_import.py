"""Benchmark: import 290 kommuner × 10 years × 8 areas (23 200 NKI values) from xlsx and csv.

Not a test. Runs against a throw-away SQLite database unless DATABASE_URL is set (then use a
scratch database: the script writes NKI results). Target: each import within 10 seconds.

    .venv/bin/python bench/nki_import.py
"""

from __future__ import annotations

import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "true")
if "DATABASE_URL" not in os.environ:
    scratch = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sba_portal.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from members.models import Kommun  # noqa: E402
from members.services import kommuner_load  # noqa: E402
from nki import services  # noqa: E402
from nki.models import NkiResult, ServiceArea  # noqa: E402

YEARS = list(range(2016, 2026))
AREAS = [
    "Totalt",
    "Bygglov",
    "Miljö- och hälsoskydd",
    "Livsmedelskontroll",
    "Serveringstillstånd",
    "Brandskydd",
    "Markupplåtelse",
    "Upphandling",
]
HEADER = [
    "Kommun",
    "Kommunkod",
    "År",
    "Myndighetsområde",
    "NKI",
    "Antal svar",
    "Konfidensintervall",
    "Information",
    "Tillgänglighet",
    "Bemötande",
    "Kompetens",
    "Rättssäkerhet",
    "Effektivitet",
]


def rows(seed: int) -> list[list]:
    rng = random.Random(seed)
    out = []
    for kommun in Kommun.objects.order_by("code"):
        for year in YEARS:
            for area in AREAS:
                nki = round(rng.uniform(55, 88), 1)
                factors = [round(min(100, max(0, nki + rng.uniform(-6, 6))), 1) for _ in range(6)]
                ci = f"{max(0, nki - 3):.1f}–{min(100, nki + 3):.1f}"
                out.append([f"{kommun.name}s kommun", kommun.code, year, area, nki, rng.randint(3, 400), ci, *factors])
    return out


def xlsx(data: list[list]) -> bytes:
    # A normal workbook, as Excel writes it: shared strings and a <dimension> element.
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "NKI"
    sheet.append(HEADER)
    for row in data:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(data: list[list]) -> bytes:
    lines = [";".join(HEADER)]
    for row in data:
        lines.append(";".join(str(v).replace(".", ",") if isinstance(v, float) else str(v) for v in row))
    return ("\n".join(lines) + "\n").encode("cp1252")


def timed(label: str, content: bytes, name: str) -> None:
    start, cpu = time.perf_counter(), time.process_time()
    report = services.nki_import(content=content, file_name=name)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    status = "ok" if report.ok else f"{len(report.problems)} problems: {report.problems[:3]}"
    print(
        f"{label:<34} {elapsed:6.2f} s (cpu {cpu:5.2f} s)  values={report.total:>6} created={report.created:>6} "
        f"updated={report.updated:>6} unchanged={report.unchanged:>6}  {status}"
    )


def main() -> None:
    call_command("migrate", verbosity=0)
    kommuner_load()
    NkiResult.objects.all().delete()
    assert ServiceArea.objects.count() >= 8
    first, second = rows(1), rows(2)
    for row_a, row_b in zip(first, second, strict=True):  # a corrected file: one value in ten changes
        if random.Random(row_a[1] + str(row_a[2]) + row_a[3]).random() >= 0.1:
            row_b[:] = row_a
    print(f"database: {os.environ['DATABASE_URL'].split('@')[-1]}  load average: {os.getloadavg()[0]:.1f}")
    print(f"file: {len(first)} rows = {Kommun.objects.count()} kommuner × {len(YEARS)} years × {len(AREAS)} areas")
    content_x, content_c = xlsx(first), csv_bytes(second)
    print(f"xlsx {len(content_x) / 1e6:.1f} MB, csv {len(content_c) / 1e6:.1f} MB")
    timed("xlsx, empty store (all new)", content_x, "bench.xlsx")
    timed("xlsx again (nothing changes)", content_x, "bench.xlsx")
    timed("csv cp1252, 10 % corrected", content_c, "bench.csv")
    start = time.perf_counter()
    services.nki_import(content=content_c, file_name="bench.csv", dry_run=True)
    print(f"{'csv preview (dry run)':<34} {time.perf_counter() - start:6.2f} s")


if __name__ == "__main__":
    main()
