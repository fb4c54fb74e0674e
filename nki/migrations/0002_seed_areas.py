"""Seed the known NKI service areas, method breaks, reference values and Kolada KPI ids.

Sources: BRIEF.md "NKI facts the portal relies on" (SKR Insikt, SBA, Kolada). All of this is data,
editable in admin; re-running the seed updates by code and never deletes.
"""

from decimal import Decimal

from django.db import migrations

# code, name_sv, name_en, aliases, is_total, counts_in_total (from, until), active (from, until), order
AREAS = [
    ("totalt", "Totalt", "Total", "NKI totalt\nTotal\nTotalt NKI\nSamtliga områden\nAlla områden", True,
     (None, None), (None, None), 0),
    ("bygglov", "Bygglov", "Building permits", "Bygglovshandläggning\nBuilding permit", False,
     (2000, None), (None, None), 10),
    ("miljo-och-halsoskydd", "Miljö- och hälsoskydd", "Environmental and health protection",
     "Miljö och hälsa\nMiljö- och hälsoskyddstillsyn\nMiljötillsyn\nMiljö\nEnvironment and health", False,
     (2000, None), (None, None), 20),
    ("livsmedelskontroll", "Livsmedelskontroll", "Food control", "Livsmedel\nLivsmedelstillsyn\nFood inspection",
     False, (2016, None), (2016, None), 30),
    ("serveringstillstand", "Serveringstillstånd", "Alcohol licences",
     "Servering\nAlkoholservering\nServeringstillstånd alkohol\nAlcohol licensing", False,
     (2000, None), (None, None), 40),
    ("brandtillsyn", "Brandskydd", "Fire protection", "Brandtillsyn\nBrand\nBrandskyddstillsyn\nFire inspection",
     False, (2000, 2023), (None, None), 50),
    ("markupplatelse", "Markupplåtelse", "Use of public land", "Markupplåtelser\nUpplåtelse av offentlig mark",
     False, (2000, 2023), (None, None), 60),
    ("upphandling", "Upphandling", "Procurement", "Offentlig upphandling", False,
     (None, None), (None, 2019), 70),
    ("receptfria-lakemedel", "Receptfria läkemedel", "Non-prescription medicines",
     "Receptfria läkemedel tillsyn\nLäkemedel", False, (None, None), (2024, None), 80),
    ("lantmateri", "Lantmäteriärenden", "Cadastral cases", "Lantmäteri\nLantmäteriärende\nKommunal lantmäterimyndighet",
     False, (None, None), (2024, None), 90),
    ("folkol-och-tobak", "Folköl och tobak", "Low-alcohol beer and tobacco",
     "Folköl/tobak\nTobak och folköl\nTobak\nFolköl, tobak", False, (None, None), (2024, None), 100),
]

BREAKS = [
    ("totalt", 2016,
     "Livsmedelskontroll räknas in i NKI totalt från 2016: värden före och efter jämförs med försiktighet.",
     "Food control counts in NKI total from 2016: compare values before and after with care."),
    ("totalt", 2024,
     "Från 2024 omfattar NKI totalt bara de fyra obligatoriska områdena (bygglov, miljö- och hälsoskydd, "
     "livsmedelskontroll, serveringstillstånd); brandskydd och markupplåtelse redovisas separat.",
     "From 2024 NKI total covers only the four mandatory areas (building permits, environmental and health "
     "protection, food control, alcohol licences); fire protection and use of public land are reported separately."),
]

NATIONAL_TOTAL = {2014: "68.3", 2015: "68.4", 2016: "70.4", 2017: "70.7", 2018: "71.8", 2019: "73.1",
                  2020: "73.7", 2021: "73.9", 2022: "74.6"}
SBA = [("totalt", 2020, "74", "SBA total for cases of 2020: about 11,000 respondents, 54 % response rate"),
       ("bygglov", 2020, "66", "SBA bygglov for cases of 2020"),
       ("totalt", 2022, "76", "SBA total"),
       ("totalt", 2023, "76", "SBA total")]


def seed(apps, schema_editor):
    ServiceArea = apps.get_model("nki", "ServiceArea")
    MethodBreak = apps.get_model("nki", "MethodBreak")
    ReferenceValue = apps.get_model("nki", "ReferenceValue")
    KoladaKpi = apps.get_model("nki", "KoladaKpi")
    areas = {}
    for code, sv, en, aliases, is_total, (total_from, total_until), (active_from, active_until), order in AREAS:
        areas[code], _ = ServiceArea.objects.update_or_create(
            code=code,
            defaults={
                "name_sv": sv, "name_en": en, "aliases": aliases, "is_total": is_total,
                "counts_in_total_from": total_from, "counts_in_total_until": total_until,
                "active_from": active_from, "active_until": active_until, "order": order,
            },
        )
    for code, year, sv, en in BREAKS:
        MethodBreak.objects.update_or_create(
            area=areas[code], year=year, defaults={"description_sv": sv, "description_en": en}
        )
    for year, value in NATIONAL_TOTAL.items():
        ReferenceValue.objects.update_or_create(
            area=areas["totalt"], year=year, source="national",
            defaults={"value": Decimal(value), "note": "Kolada, national average NKI"},
        )
    for code, year, value, note in SBA:
        ReferenceValue.objects.update_or_create(
            area=areas[code], year=year, source="sba", defaults={"value": Decimal(value), "note": note}
        )
    KoladaKpi.objects.update_or_create(
        kpi="U07451",
        defaults={"area": areas["totalt"], "measure": "nki",
                  "note": "Assumed id for NKI totalt (Insikt); verify on kolada.se before relying on it."},
    )


class Migration(migrations.Migration):
    dependencies = [("nki", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
