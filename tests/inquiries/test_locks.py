"""A locked answer says why: the deadline, the end of a reopening, or the step staff moved the
inquiry on to. On the page and when the kommun tries to change its answer anyway."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from inquiries.models import Answer, Dispatch, Inquiry

from ..conftest import client_for

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)

DEADLINE = "Svarsfristen har gått ut; svaret kan inte längre ändras."
BY_STATUS = {
    Inquiry.Status.ANSWERS_CLOSED: "Invest Stockholm har stängt förfrågan för svar; svaret kan inte längre ändras.",
    Inquiry.Status.WITH_INVESTOR: "Erbjudandena har gått vidare till investeraren; svaret kan inte längre ändras.",
    Inquiry.Status.DECIDED: "Investeraren har fattat sitt beslut; svaret kan inte längre ändras.",
    Inquiry.Status.CLOSED: "Förfrågan är avslutad; svaret kan inte längre ändras.",
}


def _answer(user, dispatch, contact):
    response = client_for(user).post(
        dispatch.get_absolute_url(), {"decision": "interested", "offer": "Mark i Flen", "contact": contact.pk}
    )
    assert response.status_code == 302


def _try_to_change(user, dispatch, language="sv"):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.post(
        dispatch.get_absolute_url(), {"decision": "declined", "decline_reason": "no_land"}, follow=True
    ).content.decode()


@pytest.mark.parametrize("status", list(BY_STATUS))
def test_an_answer_locked_by_the_inquirys_step_says_so(user_a, sent, contacts, status):
    dispatch = sent["a"]
    _answer(user_a, dispatch, contacts["a_nlc"])
    # The deadline is still ahead: the lock is staff's step, not the date.
    Inquiry.objects.filter(pk=sent["inquiry"].pk).update(status=status)
    html = client_for(user_a).get(dispatch.get_absolute_url()).content.decode()
    assert BY_STATUS[status] in html
    assert DEADLINE not in html and "Invest Stockholm kan öppna det igen." not in html
    html = _try_to_change(user_a, dispatch)
    assert BY_STATUS[status] in html
    assert Answer.objects.get(dispatch=dispatch).decision == Answer.Decision.INTERESTED


def test_an_answer_locked_by_the_deadline_says_so_and_that_it_can_be_reopened(user_a, sent, contacts):
    dispatch = sent["a"]
    _answer(user_a, dispatch, contacts["a_nlc"])
    Dispatch.objects.filter(pk=dispatch.pk).update(deadline=YESTERDAY)
    html = client_for(user_a).get(dispatch.get_absolute_url()).content.decode()
    assert f"{DEADLINE} Invest Stockholm kan öppna det igen." in html
    assert not any(text in html for text in BY_STATUS.values())
    assert "The deadline has passed; the answer can no longer be changed." in _try_to_change(user_a, dispatch, "en")
    assert Answer.objects.get(dispatch=dispatch).decision == Answer.Decision.INTERESTED


def test_a_reopening_that_has_ended_says_so(user_a, sent):
    dispatch = sent["a"]
    Dispatch.objects.filter(pk=dispatch.pk).update(
        deadline=YESTERDAY - datetime.timedelta(days=7), reopened_until=YESTERDAY
    )
    html = client_for(user_a).get(dispatch.get_absolute_url()).content.decode()
    assert "Tiden som Invest Stockholm öppnade svaret igen för har gått ut; svaret kan inte längre ändras." in html
    assert "Ni svarade inte. Kontakta Invest Stockholm om ni ändå vill svara." in html
    assert not Answer.objects.exists()


def test_a_reopened_answer_is_open_whatever_the_step(user_a, sent, contacts):
    """Staff's reopening wins over the step: no lock, no reason shown."""
    dispatch = sent["a"]
    Inquiry.objects.filter(pk=sent["inquiry"].pk).update(status=Inquiry.Status.DECIDED)
    Dispatch.objects.filter(pk=dispatch.pk).update(reopened_until=timezone.localdate())
    _answer(user_a, dispatch, contacts["a_nlc"])
    assert Answer.objects.filter(dispatch=dispatch).exists()


def test_not_answered_before_a_decision_says_it_was_decided(user_a, sent):
    dispatch = sent["a"]
    Inquiry.objects.filter(pk=sent["inquiry"].pk).update(status=Inquiry.Status.DECIDED)
    html = client_for(user_a).get(dispatch.get_absolute_url()).content.decode()
    assert f"{BY_STATUS[Inquiry.Status.DECIDED]} Ni svarade inte." in html
    assert "Svarsfristen har gått ut" not in html
