"""Staff decide where a kommun's answer and the portal's data disagree; until then the answer counts.

Before this, the data decided silently. Every stored level is computed again by the new rule (the
kommun's answers count, nothing is decided yet), so the page and the level agree; the
disagreements now wait for Invest Stockholm's decision.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The levels in order, as overview.maturity.models.LEVEL_ORDER (frozen for this migration).
LEVELS = ["neutral", "aktiv", "proaktiv"]


def levels_from_answers(apps, schema_editor):
    Criterion = apps.get_model("overview", "MaturityCriterion")
    Assessment = apps.get_model("overview", "MaturityAssessment")
    Answer = apps.get_model("overview", "MaturityAnswer")
    active: dict[str, dict[str, list[int]]] = {}
    for pk, track, level in Criterion.objects.filter(is_active=True).values_list("pk", "track", "level"):
        active.setdefault(track, {}).setdefault(level, []).append(pk)
    yes: dict[int, set[int]] = {}
    for assessment_id, criterion_id in Answer.objects.filter(answer="yes").values_list("assessment_id", "criterion_id"):
        yes.setdefault(assessment_id, set()).add(criterion_id)
    for assessment in Assessment.objects.only("pk", "track", "level"):
        reached = "neutral"
        for level in LEVELS[1:]:
            ids = active.get(assessment.track, {}).get(level, [])
            if not ids or not all(pk in yes.get(assessment.pk, ()) for pk in ids):
                break
            reached = level
        if reached != assessment.level:
            Assessment.objects.filter(pk=assessment.pk).update(level=reached)


class Migration(migrations.Migration):

    dependencies = [
        ('overview', '0005_records_keep_people'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalmaturityanswer',
            name='decided_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='decided at'),
        ),
        migrations.AddField(
            model_name='historicalmaturityanswer',
            name='decided_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by'),
        ),
        migrations.AddField(
            model_name='historicalmaturityanswer',
            name='decision',
            field=models.CharField(blank=True, choices=[('answer', "The kommun's answer counts"), ('data', "The portal's data counts")], max_length=8, verbose_name='decision'),
        ),
        migrations.AddField(
            model_name='maturityanswer',
            name='decided_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='decided at'),
        ),
        migrations.AddField(
            model_name='maturityanswer',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by'),
        ),
        migrations.AddField(
            model_name='maturityanswer',
            name='decision',
            field=models.CharField(blank=True, choices=[('answer', "The kommun's answer counts"), ('data', "The portal's data counts")], max_length=8, verbose_name='decision'),
        ),
        migrations.RunPython(levels_from_answers, migrations.RunPython.noop),
    ]
