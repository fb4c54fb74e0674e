"""Seed the daily task that closes surveys past their last day."""

import json

from django.db import migrations

NAME = "Close member surveys past their last day"


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    from django.utils import timezone

    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="5", hour="0", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/Stockholm"
    )
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={"task": "surveys.tasks.close_due_surveys", "args": json.dumps([]), "crontab": crontab, "enabled": True},
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(seed, unseed)]
