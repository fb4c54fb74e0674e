"""Schedule the NKI news for the contacts responsible for NKI, bygglov or miljö (editable in admin)."""

import json

from django.db import migrations

TZ = "Europe/Stockholm"
NAME = "NKI news (NKI, bygglov and miljö contacts)"
# Monday 07:05, just after the kommun weekly digest (07:00), which the contacts here do not get.
CRONTAB = {"minute": "5", "hour": "7", "day_of_week": "1", "day_of_month": "*", "month_of_year": "*"}


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(timezone=TZ, **CRONTAB)
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={
            "task": "digests.tasks.send_digests",
            "args": json.dumps(["nki_weekly"]),
            "crontab": crontab,
            "enabled": True,
        },
    )
    # Tell running beat processes that the schedule changed.
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("digests", "0003_digest_run")]

    operations = [migrations.RunPython(seed, unseed)]
