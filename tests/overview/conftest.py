"""Fixtures for the overview tests: criteria helpers and answer sets built by hand."""

import pytest

from overview.models import Answer, MaturityCriterion, Track


def asked(track: str) -> list[MaturityCriterion]:
    return list(MaturityCriterion.objects.filter(track=track, is_active=True).exclude(level="neutral"))


def answer_set(track: str, *, yes_levels=(), overrides=None, default=Answer.NO) -> dict[int, tuple[str, str]]:
    """{criterion_id: (answer, comment)}: 'yes' for every criterion of yes_levels, else `default`."""
    answers = {c.pk: (Answer.YES if c.level in yes_levels else default, "") for c in asked(track)}
    for pk, value in (overrides or {}).items():
        answers[pk] = (value, "")
    return answers


def post_data(answers: dict[int, tuple[str, str]], comment: str = "") -> dict[str, str]:
    data = {"comment": comment}
    for pk, (answer, text) in answers.items():
        data[f"answer_{pk}"] = answer
        data[f"comment_{pk}"] = text
    return data


@pytest.fixture
def nki_track():
    return Track.NKI


@pytest.fixture
def evidence_criterion_nki(db) -> MaturityCriterion:
    """The AKTIV NKI criterion 'a named contact person', checked against members.Contact."""
    return MaturityCriterion.objects.get(track=Track.NKI, evidence_key="contact_nki")
