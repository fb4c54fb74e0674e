"""A corrected outcome reaches the kommuner that answered: once per correction, through the
outbox, in each recipient's language; an unchanged save sends nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from inquiries.models import Answer, Outcome
from members.models import User
from outbox.models import Message

from ..conftest import client_for

pytestmark = pytest.mark.django_db


def _outcome(staff, inquiry, said=None, **data):
    response = client_for(staff).post(
        reverse("inquiries:outcome", args=[inquiry.pk]),
        {"decided_on": timezone.localdate().isoformat(), **data},
        follow=True,
    )
    assert response.redirect_chain, response.context["form"].errors
    if said is not None:
        assert said in response.content.decode()
    return response


CORRECTED = "Utfallet är rättat. Kommunerna som svarade får veta det."
UNCHANGED = "Inget i utfallet ändrades; ingen får något meddelande."


def _outcome_mails():
    return list(Message.objects.filter(kind="inquiry_outcome").order_by("pk"))


@pytest.fixture
def answered(user_a, sent, contacts):
    """Flen (A) answered; Värmdö (B) got the inquiry and did not answer."""
    client_for(user_a).post(
        sent["a"].get_absolute_url(),
        {"decision": "interested", "offer": "Mark i Flen", "contact": contacts["a_nlc"].pk},
    )
    assert Answer.objects.filter(dispatch=sent["a"]).exists()
    assert not Answer.objects.filter(dispatch=sent["b"]).exists()
    return sent


def test_a_correction_tells_each_answering_kommun_once(staff, user_a, answered, kommun_a):
    inquiry = answered["inquiry"]
    # Flen's näringslivschef reads e-mail in English; Flen's investment contact has no login (Swedish).
    User.objects.filter(pk=user_a.pk).update(language="en")
    _outcome(staff, inquiry, decision="established", kommun=kommun_a.pk, jobs=120)
    # The first outcome: every kommun that got it. Flen's two contacts + Värmdö's one = 3.
    first = _outcome_mails()
    assert sorted(m.to for m in first) == ["invest@flen.example", "nlc@flen.example", "nlc@varmdo.example"]

    # A correction (120 → 150 jobs): only Flen answered, so its two contacts, once each.
    _outcome(staff, inquiry, CORRECTED, decision="established", kommun=kommun_a.pk, jobs=150)
    corrections = _outcome_mails()[len(first) :]
    assert sorted(m.to for m in corrections) == ["invest@flen.example", "nlc@flen.example"]
    by_address = {m.to: m for m in corrections}
    english, swedish = by_address["nlc@flen.example"], by_address["invest@flen.example"]
    assert english.language == "en" and english.subject == f"Corrected outcome of inquiry {inquiry.reference}"
    assert "Invest Stockholm has corrected the outcome" in english.body_text and "Jobs: 150" in english.body_text
    assert swedish.language == "sv" and swedish.subject == f"Rättat utfall för förfrågan {inquiry.reference}"
    assert "Invest Stockholm har rättat utfallet" in swedish.body_text and "Arbetstillfällen: 150" in swedish.body_text
    assert (
        not Message.objects.filter(kind="inquiry_outcome", to="nlc@varmdo.example")
        .exclude(pk__in=[m.pk for m in first])
        .exists()
    )

    # Saving again without a change: no mail, no new history entry.
    history = Outcome.objects.get().history.count()
    _outcome(staff, inquiry, UNCHANGED, decision="established", kommun=kommun_a.pk, jobs=150)
    assert len(_outcome_mails()) == 5
    assert Outcome.objects.get().history.count() == history

    # A second correction is a new event: Flen's two contacts once more (5 + 2 = 7).
    _outcome(staff, inquiry, decision="lost_country", lost_to="Norge", jobs=150)
    assert len(_outcome_mails()) == 7
    assert "Norge" in _outcome_mails()[-1].body_text


def test_correcting_only_the_notes_also_tells_them(staff, answered, kommun_a):
    inquiry = answered["inquiry"]
    _outcome(staff, inquiry, decision="established", kommun=kommun_a.pk)
    _outcome(staff, inquiry, decision="established", kommun=kommun_a.pk, notes="Beslutet bekräftat av styrelsen")
    # 3 for the first outcome, then Flen's 2 for the correction.
    assert len(_outcome_mails()) == 3 + 2


def test_no_answer_no_correction_mail(staff, sent, kommun_a):
    """Nobody answered: the first outcome reaches both kommuner, a correction nobody."""
    inquiry = sent["inquiry"]
    _outcome(staff, inquiry, decision="withdrawn")
    _outcome(staff, inquiry, decision="unknown")
    assert len(_outcome_mails()) == 3
