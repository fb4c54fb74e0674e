import datetime
import re

import pytest
from django.utils import timezone

from members.models import Contact, Kommun
from outbox.models import Message
from surveys.models import Question, Survey

from ..factories import ContactFactory

TOKEN = re.compile(r"/enkat/svar/([A-Za-z0-9_-]+)/")


def tokens_by_address(kind: str = "survey_invitation") -> dict[str, str]:
    """The link each person received, read from the outbox (the only place the token is whole)."""
    return {m.to: TOKEN.search(m.body_text).group(1) for m in Message.objects.filter(kind=kind).order_by("pk")}


def make_survey(year: int, *, closed: bool = False, opens=None, keys=("value",)) -> Survey:
    today = timezone.localdate()
    opens = opens or today - datetime.timedelta(days=2)
    survey = Survey.objects.create(
        title=f"Medlemsenkät {year}", year=year, opens_on=opens, closes_on=opens + datetime.timedelta(days=14)
    )
    for order, key in enumerate(keys, start=1):
        Question.objects.create(
            survey=survey, order=order, page=1, key=key, text=f"Fråga {key}", low_label="Låg", high_label="Hög"
        )
    Question.objects.create(
        survey=survey,
        order=20,
        page=2,
        key="choice",
        text="Välj",
        kind=Question.Kind.SINGLE,
        choices="Ja\nNej",
        required=True,
    )
    Question.objects.create(
        survey=survey, order=21, page=2, key="free", text="Fritext", kind=Question.Kind.TEXT, required=False
    )
    if closed:
        Survey.objects.filter(pk=survey.pk).update(closed_at=timezone.now())
        survey.refresh_from_db()
    return survey


@pytest.fixture
def member_chiefs(kommun_a, kommun_b) -> list[Contact]:
    """A näringslivschef in Flen, Värmdö and six more member kommuner (eight people)."""
    others = list(Kommun.objects.members().exclude(pk__in=[kommun_a.pk, kommun_b.pk]).order_by("code")[:6])
    return [
        ContactFactory(kommun=k, role=Contact.Role.NARINGSLIVSCHEF, email=f"nlc{k.code}@kommun.example")
        for k in [kommun_a, kommun_b, *others]
    ]


@pytest.fixture
def survey(db) -> Survey:
    return make_survey(2026)
