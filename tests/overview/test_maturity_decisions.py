"""Evidence informs, the kommun answers: a disagreement is shown to the kommun and staff, staff decide
it (confirm the answer or go by the data) with who and when, and the level follows the decision."""

import pytest
from django.urls import reverse

from overview.maturity import selectors
from overview.maturity.services import assessment_submit
from overview.models import Answer, Decision, Level, MaturityAnswer, MaturityAssessment, MaturityCriterion, Track
from tests.conftest import client_for

from .conftest import answer_set, post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def flen_says_yes(kommun_a, user_a, evidence_criterion_nki) -> MaturityAnswer:
    """Flen's näringslivschef owns NKI and answers every AKTIV NKI criterion "ja"; no contact in the
    portal holds the NKI responsibility, so the data says the named-contact criterion is not met."""
    answers = answer_set(Track.NKI, yes_levels=["aktiv"])
    assessment_submit(kommun=kommun_a, track=Track.NKI, answers=answers, user=user_a)
    return MaturityAnswer.objects.get(assessment__kommun=kommun_a, criterion=evidence_criterion_nki)


def page(user, kommun):
    return client_for(user).get(reverse("overview:maturity:kommun", args=[kommun.code]))


def nki_track(response):
    return next(t for t in response.context["tracks"] if t.track == Track.NKI)


def decide(user, answer, decision):
    return client_for(user).post(reverse("overview:maturity:answer_decide", args=[answer.pk]), {"decision": decision})


def test_the_kommun_sees_the_disagreement_and_its_answer_counts(flen_says_yes, user_a, kommun_a):
    response = page(user_a, kommun_a)
    content = response.content.decode()
    track = nki_track(response)
    assert track.level == Level.AKTIV  # the kommun's answers count until staff decide
    assert track.disagreements == 1 and track.awaiting == 1
    assert "Kommunens svar och portalens data stämmer inte överens för 1 kriterium." in content
    assert "Väntar på Invest Stockholms beslut; till dess gäller kommunens svar." in content
    assert "Ingen kontakt finns i portalen som ansvarig för NKI." in content
    # … but cannot decide: no decision buttons on the kommun's own page.
    assert reverse("overview:maturity:answer_decide", args=[flen_says_yes.pk]) not in content
    assert "Gå efter portalens data" not in content


def test_staff_go_by_the_data_and_the_level_follows(flen_says_yes, staff, kommun_a):
    content = page(staff, kommun_a).content.decode()
    assert reverse("overview:maturity:answer_decide", args=[flen_says_yes.pk]) in content
    assert "Bekräfta kommunens svar" in content and "Gå efter portalens data" in content

    response = decide(staff, flen_says_yes, "data")
    assert response.status_code == 302
    flen_says_yes.refresh_from_db()
    assert flen_says_yes.decision == Decision.DATA and flen_says_yes.decided_by == staff
    assert flen_says_yes.decided_at is not None
    assessment = flen_says_yes.assessment
    assessment.refresh_from_db()
    assert assessment.level == Level.NEUTRAL  # no NKI contact: the AKTIV criterion is not met
    assert assessment.history.first().level == Level.NEUTRAL  # the level's change is in its history

    response = page(staff, kommun_a)
    track = nki_track(response)
    assert track.level == Level.NEUTRAL and track.awaiting == 0 and track.disagreements == 1
    assert [row.criterion.pk for row in track.next_steps] == [flen_says_yes.criterion_id]
    assert "Beslutat av Invest Stockholm: portalens data gäller" in response.content.decode()


def test_staff_confirm_the_answer_then_change_their_mind_with_history(flen_says_yes, staff, user_a, kommun_a):
    decide(staff, flen_says_yes, "answer")
    flen_says_yes.refresh_from_db()
    assert flen_says_yes.decision == Decision.ANSWER
    assert nki_track(page(user_a, kommun_a)).level == Level.AKTIV
    assert "Beslutat av Invest Stockholm: kommunens svar gäller" in page(user_a, kommun_a).content.decode()

    decide(staff, flen_says_yes, "answer")  # the same decision again writes nothing
    assert MaturityAnswer.history.filter(id=flen_says_yes.pk).count() == 2  # created, decided

    decide(staff, flen_says_yes, "data")
    assert nki_track(page(user_a, kommun_a)).level == Level.NEUTRAL
    detail = client_for(user_a).get(flen_says_yes.assessment.get_absolute_url())
    decisions = detail.context["decisions"]
    assert [(d.decision, d.decided_by) for d in decisions] == [(Decision.ANSWER, staff), (Decision.DATA, staff)]
    assert "Invest Stockholms beslut" in detail.content.decode()


def test_a_kommun_user_cannot_decide(flen_says_yes, user_a, user_b, kommun_a):
    for user in (user_a, user_b):
        assert decide(user, flen_says_yes, "answer").status_code == 404
    assert decide(None, flen_says_yes, "answer").status_code == 302  # anonymous: to sign in
    flen_says_yes.refresh_from_db()
    assert flen_says_yes.decision == "" and flen_says_yes.decided_by is None
    # Another kommun does not see Flen's page at all.
    assert page(user_b, kommun_a).status_code == 404


def test_deciding_is_post_only(flen_says_yes, staff):
    url = reverse("overview:maturity:answer_decide", args=[flen_says_yes.pk])
    assert client_for(staff).get(url).status_code == 405


def test_an_unknown_decision_is_refused_with_a_message(flen_says_yes, staff, kommun_a):
    response = client_for(staff).post(
        reverse("overview:maturity:answer_decide", args=[flen_says_yes.pk]), {"decision": "maybe"}, follow=True
    )
    assert "Välj kommunens svar eller portalens data." in response.content.decode()
    flen_says_yes.refresh_from_db()
    assert flen_says_yes.decision == "" and flen_says_yes.assessment.level == Level.AKTIV


def test_an_answer_the_data_agrees_with_has_nothing_to_decide(kommun_a, user_a, staff, evidence_criterion_nki):
    # All "nej", and the data also says no NKI contact: they agree.
    assessment_submit(kommun=kommun_a, track=Track.NKI, answers=answer_set(Track.NKI), user=user_a)
    agreeing = MaturityAnswer.objects.get(criterion=evidence_criterion_nki)
    response = client_for(staff).post(
        reverse("overview:maturity:answer_decide", args=[agreeing.pk]), {"decision": "data"}, follow=True
    )
    assert "det finns inget att besluta" in response.content.decode()
    agreeing.refresh_from_db()
    assert agreeing.decision == ""


def test_confirming_the_assessment_waits_for_the_decision(flen_says_yes, staff, kommun_a):
    url = reverse("overview:maturity:assessment_confirm", args=[flen_says_yes.assessment_id])
    assert "Bekräfta bedömningen" not in page(staff, kommun_a).content.decode()
    response = client_for(staff).post(url, follow=True)
    assert "Besluta först där kommunens svar och portalens data inte stämmer överens." in response.content.decode()
    assert not MaturityAssessment.objects.get(pk=flen_says_yes.assessment_id).is_confirmed
    decide(staff, flen_says_yes, "answer")
    client_for(staff).post(url)
    assert MaturityAssessment.objects.get(pk=flen_says_yes.assessment_id).confirmed_by == staff


def test_a_decision_carries_over_while_answer_and_data_stay_the_same(flen_says_yes, staff, user_a, kommun_a):
    decide(staff, flen_says_yes, "data")
    other = next(
        c
        for c in MaturityCriterion.objects.filter(track=Track.NKI, level="proaktiv", is_active=True)
        if not c.evidence_key
    )
    answers = answer_set(Track.NKI, yes_levels=["aktiv"], overrides={other.pk: Answer.PARTLY})
    second = assessment_submit(kommun=kommun_a, track=Track.NKI, answers=answers, user=user_a)
    assert second.pk != flen_says_yes.assessment_id
    carried = second.answers.get(criterion=flen_says_yes.criterion)
    assert carried.decision == Decision.DATA and carried.decided_by == staff
    assert second.level == Level.NEUTRAL

    # The kommun changes that answer to "nej": it now agrees with the data, nothing to decide.
    answers[flen_says_yes.criterion_id] = (Answer.NO, "")
    third = assessment_submit(kommun=kommun_a, track=Track.NKI, answers=answers, user=user_a)
    fresh = third.answers.get(criterion=flen_says_yes.criterion)
    assert fresh.decision == "" and not fresh.disagrees


def test_saving_the_same_answers_again_adds_no_history(flen_says_yes, user_a, kommun_a):
    url = reverse("overview:maturity:assessment_create", args=[kommun_a.code, Track.NKI])
    same = {a.criterion_id: (a.answer, a.comment) for a in flen_says_yes.assessment.answers.all()}
    histories = (MaturityAssessment.history.count(), MaturityAnswer.history.count())
    response = client_for(user_a).post(url, post_data(same), follow=True)
    assert "Ingenting har ändrats sedan förra självskattningen" in response.content.decode()
    assert MaturityAssessment.objects.filter(kommun=kommun_a, track=Track.NKI).count() == 1
    assert (MaturityAssessment.history.count(), MaturityAnswer.history.count()) == histories
    assert len(nki_track(page(user_a, kommun_a)).history) == 1

    # A changed comment is a change: a new entry in the history list.
    client_for(user_a).post(url, post_data(same, comment="Nu med kommentar"))
    assert len(nki_track(page(user_a, kommun_a)).history) == 2


def test_maturity_pages_keep_a_fixed_number_of_queries(kommun_a, user_a, staff, django_assert_max_num_queries):
    """The kommun page and an assessment's page, with one decided disagreement and with many."""

    def submit_and_decide(n):
        for i in range(n):
            answers = answer_set(Track.NKI, yes_levels=["aktiv"], default=Answer.PARTLY if i % 2 else Answer.NO)
            assessment = assessment_submit(
                kommun=kommun_a, track=Track.NKI, answers=answers, comment=f"{n}:{i}", user=user_a
            )
            for answer in MaturityAnswer.objects.filter(assessment=assessment, evidence_met__isnull=False):
                if answer.disagrees:
                    decide(staff, answer, "data" if i % 2 else "answer")
        return assessment

    latest = submit_and_decide(1)
    kommun_url = reverse("overview:maturity:kommun", args=[kommun_a.code])
    client = client_for(staff)
    client.get(kommun_url)
    # session, user, kommun, criteria, assessments, answers (+ who decided), evidence (2 contact
    # checks, answer rate, NKI years), session save.
    with django_assert_max_num_queries(12) as few:
        client.get(kommun_url)
    few_kommun = len(few.captured_queries)  # counted now: the next request clears the log
    # session, user, assessment (+ kommun, people), answers (+ criteria, who decided), decisions.
    with django_assert_max_num_queries(8) as few:
        client.get(latest.get_absolute_url())
    few_detail = len(few.captured_queries)
    latest = submit_and_decide(8)
    with django_assert_max_num_queries(few_kommun):
        response = client.get(kommun_url)
    assert len(nki_track(response).history) == 9
    with django_assert_max_num_queries(few_detail):
        client.get(latest.get_absolute_url())
    assert selectors.decision_history(latest)
