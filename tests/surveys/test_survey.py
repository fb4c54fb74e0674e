"""The member survey: invitations and the reminder exactly once, anonymity of the stored answers,
single-use tokens, partial answers, groups of five, the trend, bad input (issue 16)."""

import datetime
import hashlib

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from members.models import Contact, Kommun, User
from outbox.models import Message
from surveys import selectors, services
from surveys.models import Invitation, Question, Response, ResponseAnswer, Survey

from ..conftest import client_for
from .conftest import make_survey, tokens_by_address

pytestmark = pytest.mark.django_db


def answer_url(token: str, page: int | None = None) -> str:
    return reverse("surveys:answer", args=[token]) + (f"?page={page}" if page else "")


def submit_all(client, survey: Survey, token: str, value: int = 7, choice: str = "Ja", text: str = "") -> object:
    q1 = survey.questions.filter(page=1)
    client.post(answer_url(token), {"page": 1, "step": "next", **{f"q{q.pk}": value for q in q1}})
    choice_q = survey.questions.get(key="choice")
    free_q = survey.questions.get(key="free")
    return client.post(
        answer_url(token), {"page": 2, "step": "submit", f"q{choice_q.pk}": choice, f"q{free_q.pk}": text}
    )


# --- Invitations and the reminder ------------------------------------------------------------------


def test_invitations_and_the_reminder_go_exactly_once_per_person(survey, member_chiefs, client):
    assert services.survey_send_invitations(survey=survey) == 8
    assert services.survey_send_invitations(survey=survey) == 0  # again: nobody twice
    assert Message.objects.filter(kind="survey_invitation").count() == 8
    assert Invitation.objects.filter(survey=survey).count() == 8
    survey.refresh_from_db()
    assert survey.invited_count == 8

    tokens = tokens_by_address()
    submit_all(client, survey, tokens[member_chiefs[0].email])
    assert services.survey_send_reminder(survey=survey) == 7  # not to the one who answered
    assert services.survey_send_reminder(survey=survey) == 0
    reminded = set(Message.objects.filter(kind="survey_reminder").values_list("to", flat=True))
    assert len(reminded) == 7 and member_chiefs[0].email not in reminded


def test_staff_buttons_send_once_and_say_so(survey, member_chiefs, staff):
    client = client_for(staff)
    client.post(reverse("surveys:action", args=[survey.pk, "invite"]))
    client.post(reverse("surveys:action", args=[survey.pk, "remind"]))
    response = client.post(reverse("surveys:action", args=[survey.pk, "remind"]), follow=True)
    assert "redan skickats" in response.content.decode()
    assert Message.objects.filter(kind="survey_invitation").count() == 8
    assert Message.objects.filter(kind="survey_reminder").count() == 8


def test_the_audience_by_responsibility(survey, kommun_a, kommun_b):
    ContactFactory = __import__("tests.factories", fromlist=["ContactFactory"]).ContactFactory
    nki = ContactFactory(kommun=kommun_a, role=Contact.Role.OTHER, holds_nki=True, email="nki@flen.example")
    ContactFactory(kommun=kommun_b, role=Contact.Role.NARINGSLIVSCHEF, email="nlc@varmdo.example")
    Survey.objects.filter(pk=survey.pk).update(audience="nki")
    survey.refresh_from_db()
    assert [c.pk for c in services.audience_contacts(survey)] == [nki.pk]


# --- Tokens ---------------------------------------------------------------------------------------


def test_the_token_is_stored_only_hashed_and_cannot_be_guessed_or_reused(survey, member_chiefs, client):
    services.survey_send_invitations(survey=survey)
    token = tokens_by_address()[member_chiefs[0].email]
    invitation = Invitation.objects.get(contact=member_chiefs[0])
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert len(token) >= 40

    guessed = client.get(answer_url(token[:-1] + ("A" if token[-1] != "A" else "B")))
    assert guessed.status_code == 404
    assert "inte giltig" in guessed.content.decode()

    assert client.get(answer_url(token)).status_code == 200
    submit_all(client, survey, token)
    assert Response.objects.filter(survey=survey).count() == 1
    again = client.get(answer_url(token))
    assert again.status_code == 410
    resubmit = submit_all(client, survey, token, value=1)
    assert resubmit.status_code == 410
    assert Response.objects.filter(survey=survey).count() == 1
    assert not ResponseAnswer.objects.filter(number=1).exists()


def test_the_reminder_carries_a_new_link_and_keeps_the_draft(survey, member_chiefs, client):
    services.survey_send_invitations(survey=survey)
    old = tokens_by_address()[member_chiefs[1].email]
    q = survey.questions.get(key="value")
    client.post(answer_url(old), {"page": 1, "step": "save", f"q{q.pk}": 4})
    services.survey_send_reminder(survey=survey)
    new = tokens_by_address("survey_reminder")[member_chiefs[1].email]
    assert client.get(answer_url(old)).status_code == 404
    page = client.get(answer_url(new))
    assert page.status_code == 200
    assert f'id="q{q.pk}_4" value="4" checked' in page.content.decode()


# --- Anonymity ------------------------------------------------------------------------------------


def test_a_submitted_response_cannot_be_linked_to_a_person_or_kommun(survey, member_chiefs, client, kommun_a):
    services.survey_send_invitations(survey=survey)
    token = tokens_by_address()[member_chiefs[0].email]
    submit_all(client, survey, token, text="Vi gör det bra")

    # The stored rows: no relation to a contact, a user, a kommun or the invitation, no time stamp.
    for model in (Response, ResponseAnswer):
        for field in model._meta.get_fields():
            if field.is_relation and field.related_model is not None:
                assert field.related_model in (Survey, Question, Response, ResponseAnswer), (model, field)
            assert not isinstance(field, models.DateTimeField | models.DateField), (model, field)
    response = Response.objects.get(survey=survey)
    assert isinstance(response.pk, type(response.id)) and len(str(response.pk)) == 36  # a random UUID
    stored = [
        str(v)
        for v in Response.objects.filter(survey=survey)
        .values_list(*[f.attname for f in Response._meta.concrete_fields])
        .get()
    ]
    for answer in ResponseAnswer.objects.filter(response=response).values():
        stored += [str(v) for v in answer.values()]
    identifying = {str(member_chiefs[0].pk), kommun_a.code, str(kommun_a.pk), token, member_chiefs[0].email}
    identifying -= {str(survey.pk)}  # a small id may equal the survey's; the survey is no secret
    assert not [v for v in stored if v in identifying]
    assert kommun_a.name not in " ".join(stored)
    # Flen's län has fewer than five invited kommuner here: the group is not even stored.
    invitation = Invitation.objects.get(contact=member_chiefs[0])
    assert invitation.answered and invitation.draft == {}
    # Invitations keep no history that would date the answer.
    assert not hasattr(Invitation, "history")

    services.survey_close(survey=survey)
    assert not Invitation.objects.filter(survey=survey).exists()
    assert Response.objects.filter(survey=survey).count() == 1


def test_a_group_attribute_is_stored_only_for_groups_of_five_kommuner(survey, client):
    lan_counts = {}
    for k in Kommun.objects.members().select_related("lan"):
        lan_counts.setdefault(k.lan.code, []).append(k)
    big = next(ks for ks in lan_counts.values() if len(ks) >= 5)[:5]
    small = (
        next(ks for ks in lan_counts.values() if len(ks) < 5) if any(len(v) < 5 for v in lan_counts.values()) else []
    )
    from ..factories import ContactFactory

    for k in big + small[:1]:
        ContactFactory(kommun=k, role=Contact.Role.NARINGSLIVSCHEF, email=f"n{k.code}@k.example")
    services.survey_send_invitations(survey=survey)
    tokens = tokens_by_address()
    submit_all(client, survey, tokens[f"n{big[0].code}@k.example"])
    assert Response.objects.get().lan_code == big[0].lan.code
    if small:
        submit_all(client, survey, tokens[f"n{small[0].code}@k.example"])
        assert Response.objects.filter(lan_code="").count() == 1


# --- Partial answers ------------------------------------------------------------------------------


def test_partial_answers_are_counted_and_detached_at_close(survey, member_chiefs, client):
    services.survey_send_invitations(survey=survey)
    tokens = tokens_by_address()
    submit_all(client, survey, tokens[member_chiefs[0].email])
    q = survey.questions.get(key="value")
    saved = client.post(answer_url(tokens[member_chiefs[1].email]), {"page": 1, "step": "next", f"q{q.pk}": 3})
    assert saved.status_code == 302
    counts = selectors.counts(survey)
    assert (counts.invited, counts.complete, counts.incomplete, counts.none) == (8, 1, 1, 6)

    assert services.survey_close(survey=survey) == 1
    survey.refresh_from_db()
    counts = selectors.counts(survey)
    assert (counts.invited, counts.complete, counts.incomplete, counts.none) == (8, 1, 1, 6)
    incomplete = Response.objects.get(survey=survey, complete=False)
    assert list(incomplete.answers.values_list("number", flat=True)) == [3]
    assert not Invitation.objects.exists()
    assert services.survey_close(survey=survey) == 0  # idempotent


def test_surveys_past_their_last_day_are_closed_by_the_task(survey, member_chiefs):
    from surveys.tasks import close_due_surveys

    services.survey_send_invitations(survey=survey)
    Survey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    assert close_due_surveys.delay().get() == 1
    assert not Invitation.objects.exists()


# --- Bad input ------------------------------------------------------------------------------------


def test_bad_answers_get_a_clear_message_and_change_nothing(survey, member_chiefs, client):
    services.survey_send_invitations(survey=survey)
    token = tokens_by_address()[member_chiefs[0].email]
    q = survey.questions.get(key="value")
    eleven = client.post(answer_url(token), {"page": 1, "step": "save", f"q{q.pk}": 11})
    body = eleven.content.decode()
    assert eleven.status_code == 200
    assert "Välj ett heltal från 1 till 10" in body and "Inget sparades" in body
    assert Invitation.objects.get(contact=member_chiefs[0]).draft == {}

    # Submit without the required scale answer (page 1 skipped): refused, nothing stored.
    choice_q = survey.questions.get(key="choice")
    missing = client.post(answer_url(token), {"page": 2, "step": "submit", f"q{choice_q.pk}": "Ja"})
    assert missing.status_code == 200
    assert "Frågan behöver ett svar" in missing.content.decode()
    invitation = Invitation.objects.get(contact=member_chiefs[0])
    assert not invitation.answered and invitation.draft == {}
    assert not Response.objects.exists()

    unknown_choice = client.post(answer_url(token), {"page": 2, "step": "save", f"q{choice_q.pk}": "Kanske"})
    assert "Välj bland svarsalternativen" in unknown_choice.content.decode()
    assert Invitation.objects.get(contact=member_chiefs[0]).draft == {}


def test_an_expired_link_gets_a_clear_message_and_changes_nothing(survey, member_chiefs, client):
    services.survey_send_invitations(survey=survey)
    token = tokens_by_address()[member_chiefs[0].email]
    Survey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    page = client.get(answer_url(token))
    assert page.status_code == 410 and "stängd" in page.content.decode()
    q = survey.questions.get(key="value")
    client.post(answer_url(token), {"page": 1, "step": "save", f"q{q.pk}": 5})
    assert Invitation.objects.get(contact=member_chiefs[0]).draft == {}


def test_the_first_page_says_how_answers_stay_anonymous(survey, member_chiefs, client):
    services.survey_send_invitations(survey=survey)
    body = client.get(answer_url(tokens_by_address()[member_chiefs[0].email])).content.decode()
    assert "Dina svar är anonyma" in body
    assert "minst 5 svar" in body


# --- Results --------------------------------------------------------------------------------------


def add_responses(survey: Survey, numbers: list[int], *, lan: str = "", texts=()) -> None:
    q = Question.objects.get(survey=survey, key="value")
    free = Question.objects.get(survey=survey, key="free")
    for i, n in enumerate(numbers):
        r = Response.objects.create(survey=survey, lan_code=lan)
        ResponseAnswer.objects.create(response=r, question=q, number=n)
        if i < len(texts):
            ResponseAnswer.objects.create(response=r, question=free, text=texts[i])


def test_groups_under_five_are_not_shown_in_pages_or_exports(staff):
    survey = make_survey(2026)
    add_responses(survey, [9, 9, 9, 9])
    client = client_for(staff)
    page = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "Färre än 5 svar hittills" in page and "Medelvärde" not in page
    export = client.get(reverse("surveys:results", args=[survey.pk]) + "?export=csv").content.decode("utf-8-sig")
    assert export.strip().count("\n") == 0  # the header only

    add_responses(survey, [1], lan="01")
    page = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "Medelvärde 7,4, median 9" in page
    export = client.get(reverse("surveys:results", args=[survey.pk]) + "?export=csv").content.decode("utf-8-sig")
    assert "Fråga value;9;4;80,0" in export
    # Stockholms län has one answer: not offered, and asking for it shows the whole region instead.
    small = client.get(reverse("surveys:results", args=[survey.pk]) + "?group=lan:01")
    assert "färre än 5 svar" in small.content.decode()
    assert 'value="lan:01"' not in small.content.decode()
    export = client.get(reverse("surveys:results", args=[survey.pk]) + "?group=lan:01&export=csv")
    assert "Hela regionen" in export.content.decode("utf-8-sig")


def test_a_lan_with_five_answers_is_its_own_group(staff):
    survey = make_survey(2026, closed=True)
    add_responses(survey, [2, 2, 2, 2, 2], lan="01")
    add_responses(survey, [8, 8, 8, 8, 8], lan="03")
    client = client_for(staff)
    page = client.get(reverse("surveys:results", args=[survey.pk]) + "?group=lan:03").content.decode()
    assert "Medelvärde 8,0" in page


def test_free_text_only_after_close(staff):
    survey = make_survey(2026)
    add_responses(survey, [5] * 6, texts=["Text ett", "Text två", "Text tre", "Text fyra", "Text fem"])
    client = client_for(staff)
    page = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "Text ett" not in page and "visas när enkäten har stängt" in page
    Survey.objects.filter(pk=survey.pk).update(closed_at=timezone.now())
    page = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert all(f"Text {w}" in page for w in ("ett", "två", "tre", "fyra", "fem"))


def test_trend_for_a_repeated_question_across_two_years(staff):
    last = make_survey(2025, closed=True, opens=datetime.date(2025, 9, 16))
    add_responses(last, [5, 6, 7, 6, 6])
    this = make_survey(2026, closed=True)
    add_responses(this, [8, 8, 9, 7, 8])
    [(question, points)] = selectors.trends(this)
    assert question.key == "value"
    assert [(p.year, p.mean) for p in points] == [(2025, 6.0), (2026, 8.0)]
    page = client_for(staff).get(reverse("surveys:results", args=[this.pk])).content.decode()
    assert "Över åren" in page and "6,0" in page and "8,0" in page


def test_a_year_under_five_has_no_mean_in_the_trend():
    last = make_survey(2025, closed=True, opens=datetime.date(2025, 9, 16))
    add_responses(last, [5, 6])
    this = make_survey(2026, closed=True)
    add_responses(this, [8, 8, 9, 7, 8])
    [(_q, points)] = selectors.trends(this)
    assert [(p.year, p.mean) for p in points] == [(2025, None), (2026, 8.0)]


def test_copying_last_years_questions_keeps_their_keys(staff):
    last = make_survey(2025, closed=True, opens=datetime.date(2025, 9, 16), keys=("value", "knows"))
    client = client_for(staff)
    response = client.post(
        reverse("surveys:create"),
        {
            "title": "Medlemsenkät 2026",
            "year": 2026,
            "audience": "naringslivschef",
            "opens_on": "2026-09-16",
            "closes_on": "2026-09-30",
            "copy_from": last.pk,
        },
    )
    assert response.status_code == 302
    new = Survey.objects.get(year=2026)
    keys = sorted(Question.objects.filter(survey=new).values_list("key", flat=True))
    assert keys == sorted(Question.objects.filter(survey=last).values_list("key", flat=True))


def test_a_survey_that_closes_before_it_opens_is_refused(staff):
    response = client_for(staff).post(
        reverse("surveys:create"),
        {
            "title": "X",
            "year": 2026,
            "audience": "naringslivschef",
            "opens_on": "2026-09-16",
            "closes_on": "2026-09-01",
        },
    )
    assert "samma dag som den öppnar eller senare" in response.content.decode()
    assert not Survey.objects.exists()


def test_a_question_key_twice_in_a_survey_is_refused(staff, survey):
    response = client_for(staff).post(
        reverse("surveys:question_create", args=[survey.pk]),
        {"text": "Igen", "kind": "scale", "key": "value", "page": 1, "order": 5, "required": "on"},
    )
    assert "En annan fråga i enkäten har den nyckeln" in response.content.decode()
    assert survey.questions.count() == 3


# --- Access ---------------------------------------------------------------------------------------


def test_kommun_users_see_the_regions_results_only_after_close(user_a, user_outside):
    open_survey = make_survey(2026)
    add_responses(open_survey, [5] * 5)
    closed = make_survey(2025, closed=True, opens=datetime.date(2025, 9, 16))
    add_responses(closed, [5] * 5)
    client = client_for(user_a)
    assert client.get(reverse("surveys:results", args=[open_survey.pk])).status_code == 404
    assert client.get(reverse("surveys:results", args=[closed.pk])).status_code == 200
    listing = client.get(reverse("surveys:list")).content.decode()
    assert "Medlemsenkät 2025" in listing and "Medlemsenkät 2026" not in listing
    assert client.get(reverse("surveys:detail", args=[closed.pk])).status_code == 404


def test_results_page_takes_a_fixed_number_of_queries(staff, django_assert_max_num_queries):
    survey = make_survey(2026, closed=True, keys=("value", "b"))
    add_responses(survey, [5] * 5)
    client = client_for(staff)
    url = reverse("surveys:results", args=[survey.pk])
    # Session, survey, counts, responses' groups, län names, questions, answers, trend (3).
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    add_responses(survey, [6] * 60, lan="01")
    for key in ("c", "d", "e"):
        Question.objects.create(survey=survey, page=1, key=key, text=key)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_answer_page_needs_no_sign_in_and_shows_no_other_survey(survey, member_chiefs):
    from django.test import Client

    services.survey_send_invitations(survey=survey)
    token = tokens_by_address()[member_chiefs[0].email]
    body = Client().get(answer_url(token)).content.decode()
    assert "Fråga value" in body
    assert not User.objects.filter(email=member_chiefs[0].email).exists()
