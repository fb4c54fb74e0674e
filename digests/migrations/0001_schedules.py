"""Seed the django-celery-beat schedules; staff see and change them in admin (Periodic tasks)."""

import json

from django.db import migrations

TZ = "Europe/Stockholm"
# name, task, args, crontab (minute, hour, day_of_week, day_of_month, month_of_year)
SCHEDULES = [
    ("Kommun weekly digest", "digests.tasks.send_digests", ["kommun_weekly"], ("0", "7", "1", "*", "*")),
    ("Staff weekly digest", "digests.tasks.send_digests", ["staff_weekly"], ("15", "7", "1", "*", "*")),
    (
        "Quarterly member report (KSO and kommundirektör)",
        "digests.tasks.send_digests",
        ["member_quarterly"],
        ("30", "7", "*", "2", "1,4,7,10"),
    ),
    ("Daily deadline reminders", "digests.tasks.send_digests", ["deadline_daily"], ("0", "7", "*", "*", "*")),
    ("Outbox sweeper", "outbox.tasks.sweep_outbox", [], ("*/5", "*", "*", "*", "*")),
]


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, args, (minute, hour, dow, dom, moy) in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week=dow, day_of_month=dom, month_of_year=moy, timezone=TZ
        )
        PeriodicTask.objects.update_or_create(
            name=name, defaults={"task": task, "args": json.dumps(args), "crontab": crontab, "enabled": True}
        )
    # Tell running beat processes that the schedule changed.
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[s[0] for s in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(seed, unseed)]
