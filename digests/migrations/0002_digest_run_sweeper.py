"""Seed the digest-run sweeper's schedule (every 2 minutes)."""

import json

from django.db import migrations

NAME = "Digest run sweeper (resumes runs whose worker died)"


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    from django.utils import timezone

    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="*/2", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/Stockholm"
    )
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={"task": "digests.tasks.sweep_digest_runs", "args": json.dumps([]), "crontab": crontab, "enabled": True},
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("digests", "0001_schedules")]

    operations = [migrations.RunPython(seed, unseed)]
