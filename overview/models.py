"""The overview's models, one module per feature (Django looks for them here).

- maturity/models.py: the maturity model's criteria, the self-assessments and their answers;
- dialog/models.py: the dialog log and its follow-up actions;
- reports/models.py: the agreement period's KPI targets;
- knowledge/models.py: good examples (goda exempel), published after staff review.
- activities/models.py: SBA's own fairs, campaigns, delegations and seminars.
"""

from .activities.models import Activity, ActivityKind
from .dialog.models import NETWORK_KINDS, DialogEntry, DialogKind, FollowUp
from .knowledge.models import ExchangeGroup, GoodExample
from .maturity.models import (
    LEVEL_ORDER,
    Answer,
    Decision,
    Dimension,
    Level,
    MaturityAnswer,
    MaturityAssessment,
    MaturityCriterion,
    Track,
    answer_disagrees,
)
from .reports.models import KpiTarget

__all__ = [
    "LEVEL_ORDER",
    "NETWORK_KINDS",
    "Activity",
    "ActivityKind",
    "Answer",
    "Decision",
    "DialogEntry",
    "DialogKind",
    "Dimension",
    "ExchangeGroup",
    "FollowUp",
    "GoodExample",
    "KpiTarget",
    "Level",
    "MaturityAnswer",
    "MaturityAssessment",
    "MaturityCriterion",
    "Track",
    "answer_disagrees",
]
