"""Stored ratings (Dispatch.match_snapshot) as inquiries.matching.snapshot_of writes them now:
the sector by id, not by the rater's-language name, and numbers as plain decimal strings
("50", not "5E+1"). Reversible as a no-op: the reader (ratings_from_snapshot) reads both."""

from decimal import Decimal, InvalidOperation

from django.db import migrations

NUMBERS = ("need", "have", "max", "largest")


def _plain(text):
    try:
        return format(Decimal(text).normalize(), "f")
    except (InvalidOperation, TypeError, ValueError):
        return text


def forwards(apps, schema_editor):
    Dispatch = apps.get_model("inquiries", "Dispatch")
    changed = []
    for dispatch in Dispatch.objects.select_related("inquiry").only("match_snapshot", "inquiry__sector_id").iterator():
        snapshot = dispatch.match_snapshot or {}
        dirty = False
        for rating in snapshot.get("ratings", []):
            params = rating.get("params", {})
            if rating.get("key") == "sector" and "sector" in params:
                params.pop("sector")
                params["sector_id"] = dispatch.inquiry.sector_id
                dirty = True
            if rating.get("key") != "available":
                for name in NUMBERS:
                    if isinstance(params.get(name), str) and params[name] != _plain(params[name]):
                        params[name] = _plain(params[name])
                        dirty = True
        if dirty:
            changed.append(dispatch)
    Dispatch.objects.bulk_update(changed, ["match_snapshot"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0003_reopened_dispatch_index")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
