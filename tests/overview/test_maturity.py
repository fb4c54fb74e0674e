"""Maturity: levels from hand-made answer sets, evidence beside answers, next steps, history."""

import pytest
from django.urls import reverse

from members.models import Contact
from overview.maturity import rules as maturity
from overview.maturity.services import assessment_confirm, assessment_submit
from overview.models import Answer, Level, MaturityAnswer, MaturityAssessment, MaturityCriterion, Track
from tests.conftest import client_for
from tests.factories import ContactFactory

from .conftest import answer_set, asked, post_data

pytestmark = pytest.mark.django_db


def level_of(track, answers, evidence=None, decisions=None):
    """compute_level over the seeded criteria for {criterion_id: answer} (+ evidence {id: met} and
    staff decisions {id: decision})."""
    criteria = list(MaturityCriterion.objects.filter(track=track, is_active=True))
    evidence, decisions = evidence or {}, decisions or {}
    met = {pk: maturity.is_met(answer, evidence.get(pk), decisions.get(pk, "")) for pk, (answer, _c) in answers.items()}
    return maturity.compute_level(criteria, met)


# --- Level computation, pure --------------------------------------------------------------------


def test_seeded_model_has_both_tracks_and_three_levels():
    for track in Track.values:
        levels = set(MaturityCriterion.objects.filter(track=track).values_list("level", flat=True))
        assert levels == {"neutral", "aktiv", "proaktiv"}
    assert MaturityCriterion.objects.filter(evidence_key="contact_nki").count() == 1
    assert MaturityCriterion.objects.filter(evidence_key="contact_investment").count() == 1
    assert MaturityCriterion.objects.filter(evidence_key="inquiry_answer_rate").count() == 1
    assert MaturityCriterion.objects.filter(evidence_key="nki_years").count() == 1


def test_nothing_met_is_neutral():
    assert level_of(Track.INVESTMENT, answer_set(Track.INVESTMENT)) == Level.NEUTRAL


def test_every_aktiv_criterion_yes_is_aktiv():
    assert level_of(Track.INVESTMENT, answer_set(Track.INVESTMENT, yes_levels=["aktiv"])) == Level.AKTIV


def test_everything_yes_is_proaktiv():
    answers = answer_set(Track.INVESTMENT, yes_levels=["aktiv", "proaktiv"])
    assert level_of(Track.INVESTMENT, answers) == Level.PROAKTIV


def test_one_partly_answer_at_aktiv_keeps_neutral():
    one = next(c for c in asked(Track.INVESTMENT) if c.level == "aktiv")
    answers = answer_set(Track.INVESTMENT, yes_levels=["aktiv", "proaktiv"], overrides={one.pk: Answer.PARTLY})
    # PROAKTIV criteria all yes does not help: the level below is not complete.
    assert level_of(Track.INVESTMENT, answers) == Level.NEUTRAL


def test_partly_at_proaktiv_stays_aktiv():
    one = next(c for c in asked(Track.INVESTMENT) if c.level == "proaktiv")
    answers = answer_set(Track.INVESTMENT, yes_levels=["aktiv", "proaktiv"], overrides={one.pk: Answer.PARTLY})
    assert level_of(Track.INVESTMENT, answers) == Level.AKTIV


def test_evidence_alone_never_overrides_the_answer(evidence_criterion_nki):
    answers = answer_set(Track.NKI, yes_levels=["aktiv"])
    assert level_of(Track.NKI, answers) == Level.AKTIV
    # The data says no NKI contact: the kommun's "yes" still counts until staff decide.
    assert level_of(Track.NKI, answers, {evidence_criterion_nki.pk: False}) == Level.AKTIV
    assert level_of(Track.NKI, answers, {evidence_criterion_nki.pk: False}, {evidence_criterion_nki.pk: "answer"}) == (
        Level.AKTIV
    )
    assert level_of(Track.NKI, answers, {evidence_criterion_nki.pk: False}, {evidence_criterion_nki.pk: "data"}) == (
        Level.NEUTRAL
    )


def test_going_by_the_data_can_meet_a_criterion_answered_no(evidence_criterion_nki):
    answers = answer_set(Track.NKI, yes_levels=["aktiv"], overrides={evidence_criterion_nki.pk: Answer.NO})
    assert level_of(Track.NKI, answers, {evidence_criterion_nki.pk: True}) == Level.NEUTRAL
    assert level_of(Track.NKI, answers, {evidence_criterion_nki.pk: True}, {evidence_criterion_nki.pk: "data"}) == (
        Level.AKTIV
    )


def test_going_by_data_that_cannot_tell_keeps_the_answer():
    criterion = MaturityCriterion.objects.get(evidence_key="nki_years")
    answers = answer_set(Track.NKI, yes_levels=["aktiv"])
    assert level_of(Track.NKI, answers, {criterion.pk: None}, {criterion.pk: "data"}) == Level.AKTIV


def test_inactive_criterion_does_not_count():
    one = next(c for c in asked(Track.INVESTMENT) if c.level == "aktiv")
    answers = answer_set(Track.INVESTMENT, yes_levels=["aktiv"], overrides={one.pk: Answer.NO})
    assert level_of(Track.INVESTMENT, answers) == Level.NEUTRAL
    MaturityCriterion.objects.filter(pk=one.pk).update(is_active=False)
    assert level_of(Track.INVESTMENT, answers) == Level.AKTIV


def test_an_empty_level_is_never_reached_by_default():
    MaturityCriterion.objects.filter(track=Track.INVESTMENT).update(is_active=False)
    assert level_of(Track.INVESTMENT, {}) == Level.NEUTRAL


# --- Through the service: stored evidence and level ---------------------------------------------


def test_submit_stores_answers_evidence_and_level(kommun_a, user_a, evidence_criterion_nki):
    # Flen says yes to everything at AKTIV, but no NKI contact is recorded in the portal: its
    # answer counts (AKTIV) and the disagreement waits for Invest Stockholm.
    assessment = assessment_submit(
        kommun=kommun_a, track=Track.NKI, answers=answer_set(Track.NKI, yes_levels=["aktiv"]), user=user_a
    )
    assert assessment.level == Level.AKTIV
    answer = assessment.answers.get(criterion=evidence_criterion_nki)
    assert answer.answer == Answer.YES and answer.evidence_met is False and answer.disagrees
    assert answer.awaits_decision and answer.decision == ""
    assert not assessment.is_confirmed  # a kommun user's own assessment waits for staff

    ContactFactory(kommun=kommun_a, role=Contact.Role.NKI, name="Nina NKI")
    second = assessment_submit(
        kommun=kommun_a, track=Track.NKI, answers=answer_set(Track.NKI, yes_levels=["aktiv"]), user=user_a
    )
    assert second.level == Level.AKTIV
    stored = second.answers.get(criterion=evidence_criterion_nki)
    assert stored.evidence_met is True and not stored.disagrees


def test_investment_contact_evidence_accepts_naringslivschef(kommun_a, user_a):
    criterion = MaturityCriterion.objects.get(evidence_key="contact_investment")
    ContactFactory(kommun=kommun_a, role=Contact.Role.NARINGSLIVSCHEF, name="Nils Chef")
    answers = answer_set(Track.INVESTMENT, yes_levels=["aktiv"], overrides={criterion.pk: Answer.NO})
    assessment = assessment_submit(kommun=kommun_a, track=Track.INVESTMENT, answers=answers, user=user_a)
    stored = assessment.answers.get(criterion=criterion)
    assert stored.evidence_met is True and "Nils Chef" in stored.evidence_text
    assert assessment.level == Level.NEUTRAL  # the kommun said no; the data only informs


def test_history_keeps_every_assessment_unchanged(kommun_a, user_a, staff):
    first = assessment_submit(
        kommun=kommun_a, track=Track.INVESTMENT, answers=answer_set(Track.INVESTMENT), user=user_a
    )
    ContactFactory(kommun=kommun_a, role=Contact.Role.INVESTMENT)
    assessment_submit(
        kommun=kommun_a,
        track=Track.INVESTMENT,
        answers=answer_set(Track.INVESTMENT, yes_levels=["aktiv"]),
        user=staff,
    )
    assert MaturityAssessment.objects.filter(kommun=kommun_a, track=Track.INVESTMENT).count() == 2
    first.refresh_from_db()
    assert first.level == Level.NEUTRAL
    assert set(first.answers.values_list("answer", flat=True)) == {Answer.NO}
    assert first.history.count() >= 1  # simple_history records the rows, answers included
    assert MaturityAnswer.history.filter(assessment_id=first.pk).count() == first.answers.count()
    assert MaturityAnswer.history.filter(assessment_id=first.pk).first().history_user == user_a

    page = client_for(user_a).get(reverse("overview:maturity:kommun", args=[kommun_a.code]))
    investment = next(t for t in page.context["tracks"] if t.track == Track.INVESTMENT)
    assert [a.level for a in investment.history] == [Level.AKTIV, Level.NEUTRAL]
    assert investment.assessment.is_confirmed  # filled in by staff: confirmed by them


def test_next_steps_are_the_unmet_criteria_of_the_next_level(kommun_a, user_a):
    aktiv = [c for c in asked(Track.INVESTMENT) if c.level == "aktiv"]
    missing = [c for c in aktiv if not c.evidence_key][:2]
    answers = answer_set(
        Track.INVESTMENT,
        yes_levels=["aktiv"],
        overrides={missing[0].pk: Answer.PARTLY, missing[1].pk: Answer.NO},
    )
    ContactFactory(kommun=kommun_a, role=Contact.Role.INVESTMENT)
    assessment_submit(kommun=kommun_a, track=Track.INVESTMENT, answers=answers, user=user_a)
    response = client_for(user_a).get(reverse("overview:maturity:kommun", args=[kommun_a.code]))
    investment = next(t for t in response.context["tracks"] if t.track == Track.INVESTMENT)
    assert investment.level == Level.NEUTRAL and investment.next_level == Level.AKTIV
    assert [row.criterion.pk for row in investment.next_steps] == [c.pk for c in missing]
    assert missing[0].text_sv in response.content.decode()

    # Once AKTIV, the next steps are the PROAKTIV criteria.

    assessment_submit(
        kommun=kommun_a, track=Track.INVESTMENT, answers=answer_set(Track.INVESTMENT, yes_levels=["aktiv"]), user=user_a
    )
    response = client_for(user_a).get(reverse("overview:maturity:kommun", args=[kommun_a.code]))
    investment = next(t for t in response.context["tracks"] if t.track == Track.INVESTMENT)
    assert investment.next_level == Level.PROAKTIV
    assert {row.criterion.level for row in investment.next_steps} == {"proaktiv"}


def test_page_flags_an_answer_the_data_disagrees_with(kommun_a, user_a):
    assessment_submit(
        kommun=kommun_a, track=Track.NKI, answers=answer_set(Track.NKI, yes_levels=["aktiv"]), user=user_a
    )
    content = client_for(user_a).get(reverse("overview:maturity:kommun", args=[kommun_a.code])).content.decode()
    assert "stämmer inte med kommunens svar" in content  # the flag's words (Swedish is the default)
    assert 'class="disagrees"' in content


# --- Through the form ---------------------------------------------------------------------------


def test_kommun_user_submits_the_form(kommun_a, user_a):
    url = reverse("overview:maturity:assessment_create", args=[kommun_a.code, Track.INVESTMENT])
    answers = answer_set(Track.INVESTMENT, yes_levels=["aktiv"])
    response = client_for(user_a).post(url, post_data(answers, comment="Vår första bedömning"))
    assert response.status_code == 302
    assessment = MaturityAssessment.objects.get(kommun=kommun_a, track=Track.INVESTMENT)
    assert assessment.submitted_by == user_a and assessment.comment == "Vår första bedömning"
    assert assessment.answers.count() == len(answers)


def test_form_starts_from_the_latest_answers(kommun_a, user_a):
    answers = answer_set(Track.INVESTMENT, yes_levels=["aktiv"])
    assessment_submit(kommun=kommun_a, track=Track.INVESTMENT, answers=answers, user=user_a)
    url = reverse("overview:maturity:assessment_create", args=[kommun_a.code, Track.INVESTMENT])
    form = client_for(user_a).get(url).context["form"]
    pk = next(iter(answers))
    assert form.fields[f"answer_{pk}"].initial == answers[pk][0]


def test_missing_answer_is_refused_with_a_clear_message(kommun_a, user_a):
    url = reverse("overview:maturity:assessment_create", args=[kommun_a.code, Track.INVESTMENT])
    data = post_data(answer_set(Track.INVESTMENT))
    missing = next(k for k in data if k.startswith("answer_"))
    del data[missing]
    response = client_for(user_a).post(url, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Svara ja, delvis eller nej." in content
    assert 'aria-invalid="true"' in content and f'aria-describedby="id_{missing}-error"' in content
    assert f'id="id_{missing}-error"' in content
    assert not MaturityAssessment.objects.exists()


def test_unknown_answer_value_is_refused(kommun_a, user_a):
    url = reverse("overview:maturity:assessment_create", args=[kommun_a.code, Track.INVESTMENT])
    data = post_data(answer_set(Track.INVESTMENT))
    data[next(k for k in data if k.startswith("answer_"))] = "maybe"
    response = client_for(user_a).post(url, data)
    assert response.status_code == 200 and not MaturityAssessment.objects.exists()


def test_unknown_track_is_404(kommun_a, user_a):
    response = client_for(user_a).get(f"/oversikt/mognad/{kommun_a.code}/golf/ny/")
    assert response.status_code == 404


def test_other_kommun_cannot_submit_for_a(kommun_a, user_b):
    url = reverse("overview:maturity:assessment_create", args=[kommun_a.code, Track.INVESTMENT])
    response = client_for(user_b).post(url, post_data(answer_set(Track.INVESTMENT, yes_levels=["aktiv"])))
    assert response.status_code == 404
    assert not MaturityAssessment.objects.exists()


def test_staff_confirm_records_who_and_when(kommun_a, user_a, staff):
    assessment = assessment_submit(kommun=kommun_a, track=Track.NKI, answers=answer_set(Track.NKI), user=user_a)
    url = reverse("overview:maturity:assessment_confirm", args=[assessment.pk])
    assert client_for(user_a).post(url).status_code == 404  # a kommun cannot confirm its own
    assessment.refresh_from_db()
    assert not assessment.is_confirmed
    assert client_for(staff).post(url).status_code == 302
    assessment.refresh_from_db()
    assert assessment.confirmed_by == staff and assessment.confirmed_at is not None
    first_time = assessment.confirmed_at
    assessment_confirm(assessment=assessment, user=staff)
    assert assessment.confirmed_at == first_time


def test_confirm_is_post_only(kommun_a, user_a, staff):
    assessment = assessment_submit(kommun=kommun_a, track=Track.NKI, answers=answer_set(Track.NKI), user=user_a)
    response = client_for(staff).get(reverse("overview:maturity:assessment_confirm", args=[assessment.pk]))
    assert response.status_code == 405


def test_assessment_detail_shows_the_stored_evidence(kommun_a, user_a):
    assessment = assessment_submit(
        kommun=kommun_a, track=Track.NKI, answers=answer_set(Track.NKI, yes_levels=["aktiv"]), user=user_a
    )
    response = client_for(user_a).get(assessment.get_absolute_url())
    assert response.status_code == 200
    stored = MaturityAnswer.objects.get(assessment=assessment, evidence_met=False)
    assert stored.evidence_text in response.content.decode()
