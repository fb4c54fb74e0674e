from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    name = "overview"
    verbose_name = _("Overview")

    def ready(self) -> None:
        from members import cache

        from .integrations import register_all
        from .models import DialogEntry, FollowUp, KpiTarget, MaturityAnswer, MaturityAssessment, MaturityCriterion

        register_all()
        # Cached staff-overview and report figures are built from these (bulk writes bump themselves).
        for model in (MaturityAssessment, MaturityAnswer, MaturityCriterion):
            cache.track(model, "maturity")
        for model in (DialogEntry, FollowUp):
            cache.track(model, "dialog")
        cache.track(KpiTarget, "kpi")
