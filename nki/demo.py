"""Demo NKI results for `make run`: 2016–2025 for all 290 kommuner (members and the national
benchmark), plausible and deterministic. Loaded by `manage.py load_demo`; idempotent."""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction

from members import cache
from members.cache import Topic
from members.models import Kommun, Population

from . import constants, services
from .models import NkiImport, NkiResult, ServiceArea, Source

YEARS = range(2016, 2026)
# area code: (offset from the kommun's level, share of cases per 1 000 inhabitants)
AREA_PROFILE = {
    "bygglov": (-6.0, 1.2),
    "miljo-och-halsoskydd": (1.0, 0.9),
    "livsmedelskontroll": (3.0, 0.7),
    "serveringstillstand": (4.0, 0.25),
    "brandtillsyn": (5.0, 0.5),
    "markupplatelse": (2.0, 0.2),
    "upphandling": (-9.0, 0.3),
    "receptfria-lakemedel": (2.0, 0.08),
    "lantmateri": (-2.0, 0.15),
    "folkol-och-tobak": (3.0, 0.1),
}
OPTIONAL_FROM_2024 = {"receptfria-lakemedel", "lantmateri", "folkol-och-tobak"}
# How each factor index sits against NKI: (offset, noise). Less noise: goes more with NKI.
FACTOR_PROFILE = {
    "information": (-1.0, 5.0),
    "tillganglighet": (2.0, 8.0),
    "bemotande": (7.0, 6.0),
    "kompetens": (5.0, 4.0),
    "rattssakerhet": (3.0, 7.0),
    "effektivitet": (-2.0, 2.5),
}


def _index(value: float) -> Decimal:
    return Decimal(str(round(min(98.0, max(30.0, value)), 1)))


def _row(record: NkiImport, kommun_id: int, year: int, area: ServiceArea, nki: Decimal, answers: int) -> dict:
    """One result as the import's writer takes it: every column by its attname."""
    row = dict.fromkeys(f.attname for f in NkiResult._meta.concrete_fields if not f.primary_key)
    row.update(kommun_id=kommun_id, year=year, area_id=area.pk, nki=nki, answers=answers)
    row.update(source=Source.INSIKT, nki_import_id=record.pk)
    return row


@transaction.atomic
def load() -> int:
    """Create the demo results once; return how many were created (0 when already there)."""
    if NkiImport.objects.filter(kind=NkiImport.Kind.DEMO).exists():
        return 0
    rng = random.Random(2016)
    areas = {a.code: a for a in ServiceArea.objects.all()}
    total = areas["totalt"]
    populations: dict[int, int] = {}
    for kommun_id, population in Population.objects.order_by("year").values_list("kommun_id", "population"):
        populations[kommun_id] = population
    record = NkiImport.objects.create(kind=NkiImport.Kind.DEMO, file_name="demo data", file_hash="0" * 64)
    results: list[dict] = []  # plain rows for the import's writer (services.write_results)
    for kommun_id in Kommun.objects.order_by("code").values_list("pk", flat=True):
        population = populations.get(kommun_id) or int(rng.lognormvariate(10.0, 0.9)) + 2500
        level = rng.gauss(70.0, 4.5)
        slope = rng.gauss(0.45, 0.5)
        optional = {code for code in OPTIONAL_FROM_2024 if rng.random() < 0.3}
        for year in YEARS:
            weighted, answers_sum = 0.0, 0
            for code, (offset, rate) in AREA_PROFILE.items():
                area = areas[code]
                if not area.is_active(year) or (code in OPTIONAL_FROM_2024 and code not in optional):
                    continue
                nki = level + offset + slope * (year - 2016) + rng.gauss(0, 2.5)
                answers = max(2, int(population / 1000 * rate * rng.uniform(0.5, 1.5)))
                value = _index(nki)
                result = _row(record, kommun_id, year, area, value, answers)
                for field, (factor_offset, noise) in FACTOR_PROFILE.items():
                    result[field] = _index(nki + factor_offset + rng.gauss(0, noise))
                if rng.random() < 0.3:
                    margin = float(constants.Z_95 * constants.ASSUMED_ANSWER_SD) / answers**0.5
                    ci_low, ci_high = _index(nki - margin), _index(nki + margin)
                    result["ci_low"], result["ci_high"] = min(ci_low, value), max(ci_high, value)
                results.append(result)
                if area.counts_in_total(year):
                    weighted += float(value) * answers
                    answers_sum += answers
            if answers_sum:
                results.append(_row(record, kommun_id, year, total, _index(weighted / answers_sum), answers_sum))
    with cache.retiring(Topic.NKI):  # raw SQL below the model signals, as the import writes
        services.write_results(record=record, to_create=results, to_update=[], update_fields=[], reason="demo data")
        services.coverage_refresh(years={result["year"] for result in results})
    record.rows = record.created = len(results)
    record.save(update_fields=["rows", "created"])
    return len(results)
