"""Responsibilities become flags on a contact, so one person may hold several.

Every contact whose role names a responsibility gets its flag, so nothing the role said is lost;
the roles stay as they are. A new release retires every cached page (members.cache.RELEASE), so
the bulk update needs no cache retirement here.
"""

from django.db import migrations, models

# role → flag, as members.models.ROLE_RESPONSIBILITY (frozen here: a migration must not follow
# later changes of the model module).
ROLE_FLAGS = {
    "nki": "holds_nki",
    "investment": "holds_investment",
    "bygglovschef": "holds_bygglov",
    "miljochef": "holds_miljo",
}


def flags_from_roles(apps, schema_editor):
    Contact = apps.get_model("members", "Contact")
    for role, flag in ROLE_FLAGS.items():
        Contact._base_manager.filter(role=role).update(**{flag: True})


def roles_only(apps, schema_editor):
    Contact = apps.get_model("members", "Contact")
    Contact._base_manager.update(**{flag: False for flag in ROLE_FLAGS.values()})


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0007_agreement_period_roster_history'),
    ]

    operations = [
        migrations.AddField(
            model_name='contact',
            name='holds_bygglov',
            field=models.BooleanField(default=False, verbose_name='responsible for bygglov'),
        ),
        migrations.AddField(
            model_name='contact',
            name='holds_investment',
            field=models.BooleanField(default=False, verbose_name='responsible for investment and inquiries'),
        ),
        migrations.AddField(
            model_name='contact',
            name='holds_miljo',
            field=models.BooleanField(default=False, verbose_name='responsible for miljö'),
        ),
        migrations.AddField(
            model_name='contact',
            name='holds_nki',
            field=models.BooleanField(default=False, verbose_name='responsible for NKI'),
        ),
        migrations.AddField(
            model_name='historicalcontact',
            name='holds_bygglov',
            field=models.BooleanField(default=False, verbose_name='responsible for bygglov'),
        ),
        migrations.AddField(
            model_name='historicalcontact',
            name='holds_investment',
            field=models.BooleanField(default=False, verbose_name='responsible for investment and inquiries'),
        ),
        migrations.AddField(
            model_name='historicalcontact',
            name='holds_miljo',
            field=models.BooleanField(default=False, verbose_name='responsible for miljö'),
        ),
        migrations.AddField(
            model_name='historicalcontact',
            name='holds_nki',
            field=models.BooleanField(default=False, verbose_name='responsible for NKI'),
        ),
        migrations.RunPython(flags_from_roles, roles_only),
    ]
