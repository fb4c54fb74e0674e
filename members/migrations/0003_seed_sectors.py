"""Seed the investment sectors. Staff may rename, add or deactivate them in admin afterwards."""

from django.db import migrations

SECTORS = [
    ("life-science", "Life science", "Life science"),
    ("ict", "IKT och tech", "ICT and tech"),
    ("energy-cleantech", "Energi och cleantech", "Energy and cleantech"),
    ("data-centres", "Datacenter", "Data centres"),
    ("logistics", "Logistik", "Logistics"),
    ("advanced-manufacturing", "Avancerad tillverkning", "Advanced manufacturing"),
    ("food", "Livsmedel", "Food"),
    ("fintech", "Finans och fintech", "Finance and fintech"),
    ("construction", "Bygg och hållbart byggande", "Construction and sustainable building"),
    ("creative", "Kreativa näringar och gaming", "Creative industries and gaming"),
    ("automotive", "Fordon och mobilitet", "Automotive and mobility"),
    ("hospitality", "Besöksnäring", "Tourism and hospitality"),
    ("retail", "Handel", "Retail"),
    ("other", "Övrigt", "Other"),
]


def seed(apps, schema_editor):
    Sector = apps.get_model("members", "Sector")
    for order, (code, sv, en) in enumerate(SECTORS, start=1):
        Sector.objects.get_or_create(code=code, defaults={"name_sv": sv, "name_en": en, "ordering": order * 10})


class Migration(migrations.Migration):
    dependencies = [("members", "0002_profile_and_sites")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
