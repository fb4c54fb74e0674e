"""Field validators for figures staff type in. On the model fields, so every form and Django admin
obeys them; the bounds are in inquiries/constants.py."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from . import constants


def _number(value) -> str:
    """The bound as the reader writes numbers (50 000 in Swedish, 50,000 in English)."""
    return formats.number_format(value, force_grouping=True)


def validate_jobs(value: int | None) -> None:
    if value is not None and value > constants.MAX_JOBS:
        raise ValidationError(
            _("%(limit)s jobs is the most one establishment can have; check the figure."),
            code="max_jobs",
            params={"limit": _number(constants.MAX_JOBS)},
        )


def validate_investment_msek(value: Decimal | None) -> None:
    if value is None:
        return
    if value < 0:
        raise ValidationError(_("An investment cannot be negative."), code="negative_investment")
    if value > constants.MAX_INVESTMENT_MSEK:
        raise ValidationError(
            _("%(limit)s MSEK is the most one establishment can invest; check the figure (in millions of kronor)."),
            code="max_investment",
            params={"limit": _number(constants.MAX_INVESTMENT_MSEK)},
        )


def validate_not_in_future(value: datetime.date | None) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future_date")
