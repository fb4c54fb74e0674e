"""The survey's fixed rules in one place: the smallest group shown, the size groups, the audiences."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

# Results are shown only for a group of at least this many answers (whole region, län, size
# group), never for one kommun. A group attribute is stored on a response only when at least this
# many kommuner of the survey's audience are in that group (else the answer could be singled out).
MIN_GROUP = 5

SCALE_MIN, SCALE_MAX = 1, 10


@dataclass(frozen=True)
class SizeGroup:
    code: str
    lower: int  # inclusive lower bound on the latest population
    label: object


# The member size groups (the same bounds as NKI's similar kommuner, kept here: surveys and nki
# stand side by side and do not import each other).
SIZE_GROUPS: tuple[SizeGroup, ...] = (
    SizeGroup("large", 100_000, _("100 000 inhabitants or more")),
    SizeGroup("medium_large", 50_000, _("50 000–99 999 inhabitants")),
    SizeGroup("medium", 25_000, _("25 000–49 999 inhabitants")),
    SizeGroup("small", 10_000, _("10 000–24 999 inhabitants")),
    SizeGroup("very_small", 0, _("fewer than 10 000 inhabitants")),
)


def size_group_of(population: int | None) -> str:
    if population is None:
        return ""
    return next(g.code for g in SIZE_GROUPS if population >= g.lower)


def size_group_label(code: str):
    return next((g.label for g in SIZE_GROUPS if g.code == code), code)


class Audience(models.TextChoices):
    """Who is invited: the näringslivschef of every member, or the holders of a responsibility."""

    NARINGSLIVSCHEF = "naringslivschef", _("The näringslivschef of every member")
    NKI = "nki", _("Contacts responsible for NKI")
    INVESTMENT = "investment", _("Contacts responsible for investment and inquiries")
    BYGGLOV = "bygglov", _("Contacts responsible for bygglov")
    MILJO = "miljo", _("Contacts responsible for miljö")
