"""Benchmark (not a test): time to rate every SBA member kommun against one inquiry.

Builds realistic in-memory profiles for all member kommuner (0–5 sites each, some data missing),
then times `matching.rate_all` — the pure function the inquiry page calls after loading profiles
in four queries. Prints the median of several runs. The target is well under 50 ms.

    DEBUG=true .venv/bin/python bench/matching.py [--runs 25] [--kommuner 56]
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sba_portal.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from django.utils import translation  # noqa: E402

from inquiries import matching  # noqa: E402


def profiles(n: int, rng: random.Random) -> list[matching.ProfileData]:
    today = datetime.date(2026, 11, 27)
    result = []
    for k in range(n):
        sites = tuple(
            matching.SiteData(
                name=f"Site {k}-{i}",
                area_ha=Decimal(rng.randint(1, 80)) if rng.random() > 0.1 else None,
                ownership=rng.choice(["municipal", "private", "mixed", ""]),
                zoning=rng.choice(["in_force", "in_progress", "none", ""]),
                available_from=today + datetime.timedelta(days=rng.randint(-100, 800)),
                power_mw=Decimal(rng.randint(1, 100)) if rng.random() > 0.2 else None,
                km_motorway=Decimal(rng.randint(0, 30)),
                km_rail=Decimal(rng.randint(0, 50)) if rng.random() > 0.2 else None,
                km_port=Decimal(rng.randint(1, 150)),
                km_airport=Decimal(rng.randint(5, 150)),
            )
            for i in range(rng.randint(0, 5))
        )
        result.append(
            matching.ProfileData(
                kommun_id=k,
                name=f"Kommun {k:02d}",
                sites=sites,
                wanted_sectors=frozenset(rng.sample(range(1, 15), 3)),
                strong_sectors=frozenset(rng.sample(range(1, 15), 2)),
                appetite=rng.choice(["all", "near", "matching"]),
                has_profile=True,
            )
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--kommuner", type=int, default=56)
    args = parser.parse_args()
    rng = random.Random(1)
    data = profiles(args.kommuner, rng)
    req = matching.Requirements(
        sector_id=5,
        sector_name="Logistik",
        area_ha=Decimal(20),
        municipal_land=True,
        zoning_ready=True,
        power_mw=Decimal(15),
        km_motorway=Decimal(5),
        km_rail=Decimal(3),
        km_port=Decimal(60),
        km_airport=Decimal(50),
        needed_by=datetime.date(2027, 6, 1),
    )
    rating, with_reasons = [], []
    with translation.override("sv"):
        for _ in range(args.runs):
            start = time.perf_counter()
            rated = matching.rate_all(req, data)
            middle = time.perf_counter()
            # Rendering every one-line reason is what showing the table adds.
            _ = [r.reason for kr in rated for r in kr.ratings]
            end = time.perf_counter()
            rating.append((middle - start) * 1000)
            with_reasons.append((end - start) * 1000)
    sites = sum(len(p.sites) for p in data)
    print(f"{args.kommuner} kommuner, {sites} sites, 11 requirements, {args.runs} runs (median, min):")
    print(f"  rate_all               {statistics.median(rating):6.2f} ms  {min(rating):6.2f} ms")
    print(f"  rate_all + reasons     {statistics.median(with_reasons):6.2f} ms  {min(with_reasons):6.2f} ms")


if __name__ == "__main__":
    main()
