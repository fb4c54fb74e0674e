"""Seed the retention rules (administrators change the numbers in admin) and the nightly run."""

import json

from django.db import migrations
from django.utils import timezone

# kind, keep, unit
RULES = [
    ("contact_inactive", 2, "years"),
    ("investor_contact", 3, "years"),
    ("outbox_body", 90, "days"),
    ("history", 5, "years"),
]
SCHEDULE = "Retention of personal data (privacy rules, nightly)"


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for kind, keep, unit in RULES:
        RetentionRule.objects.get_or_create(kind=kind, defaults={"keep": keep, "unit": unit})
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/Stockholm"
    )
    PeriodicTask.objects.update_or_create(
        name=SCHEDULE,
        defaults={"task": "privacy.tasks.apply_retention", "args": json.dumps([]), "crontab": crontab, "enabled": True},
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SCHEDULE).delete()
    apps.get_model("privacy", "RetentionRule").objects.filter(kind__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(seed, unseed)]
