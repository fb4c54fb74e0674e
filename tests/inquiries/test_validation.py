"""Figures that match reality: the outcome form and the inquiry form refuse what cannot be true,
with a message in the user's language, and store nothing. Through the real views."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inquiries import constants, services
from inquiries.models import Inquiry, Outcome
from outbox.models import Message

from ..conftest import client_for
from ..factories import InquiryFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _post_outcome(user, inquiry, language="sv", **data):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.post(reverse("inquiries:outcome", args=[inquiry.pk]), {"decided_on": TODAY().isoformat(), **data})


def _errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


# --- The outcome form ----------------------------------------------------------------------------


def test_a_decision_in_the_future_is_refused(staff, sent):
    inquiry = sent["inquiry"]
    future = (TODAY() + datetime.timedelta(days=1)).isoformat()
    response = _post_outcome(staff, inquiry, decision="withdrawn", decided_on=future)
    assert response.status_code == 200
    assert _errors(response, "decided_on") == ["Datumet kan inte ligga i framtiden."]
    response = _post_outcome(staff, inquiry, "en", decision="withdrawn", decided_on="2031-06-01")
    assert _errors(response, "decided_on") == ["The date cannot be in the future."]
    assert not Outcome.objects.exists()
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.SENT
    assert not Message.objects.filter(kind="inquiry_outcome").exists()


def test_today_is_a_valid_decision_date(staff, sent):
    response = _post_outcome(staff, sent["inquiry"], decision="withdrawn")
    assert response.status_code == 302
    assert Outcome.objects.get().decided_on == TODAY()


def test_lost_to_norway_and_established_in_flen_is_refused(staff, sent, kommun_a):
    inquiry = sent["inquiry"]
    # Established, with a country it was lost to: the "lost to" is refused.
    response = _post_outcome(staff, inquiry, decision="established", kommun=kommun_a.pk, lost_to="Norge")
    assert _errors(response, "lost_to") == [
        "En investering som etablerades i en medlemskommun förlorades inte: lämna ”förlorad till” tomt."
    ]
    # Lost to Norway, with Flen as the kommun it was established in: the kommun is refused.
    response = _post_outcome(staff, inquiry, "en", decision="lost_country", kommun=kommun_a.pk, lost_to="Norway")
    assert _errors(response, "kommun") == [
        "A lost investment was not established in a member kommun: leave the kommun empty."
    ]
    assert not Outcome.objects.exists()


def test_a_loss_must_say_where_it_went(staff, sent):
    response = _post_outcome(staff, sent["inquiry"], decision="lost_region")
    assert _errors(response, "lost_to") == ["Ange vilken region eller vilket land investeringen gick till."]
    assert not Outcome.objects.exists()


@pytest.mark.parametrize("lost_to", ["Flen", "flens kommun", " FLEN "])
def test_lost_to_a_member_kommun_is_not_a_loss(staff, sent, lost_to):
    # Flen (0482) is an SBA member: losing to it is no loss to the region.
    response = _post_outcome(staff, sent["inquiry"], decision="lost_region", lost_to=lost_to)
    assert _errors(response, "lost_to") == [
        "Flen är en medlemskommun i SBA: om investeraren etablerade sig där, välj ”Etablerad i en medlemskommun”."
    ]
    assert not Outcome.objects.exists()


def test_lost_to_a_non_member_region_is_accepted(staff, sent):
    # Kiruna (2584) is not a member: a loss to it is a loss to another region.
    response = _post_outcome(staff, sent["inquiry"], decision="lost_region", lost_to="Kiruna")
    assert response.status_code == 302
    assert Outcome.objects.get().lost_to == "Kiruna"


def test_sweden_is_not_another_country(staff, sent):
    response = _post_outcome(staff, sent["inquiry"], "en", decision="lost_country", lost_to="Sweden")
    assert _errors(response, "lost_to") == [
        "Sweden is not another country: choose “Lost to another region” and name the region."
    ]
    assert not Outcome.objects.exists()


def test_withdrawn_has_neither_kommun_nor_lost_to(staff, sent, kommun_a):
    response = _post_outcome(staff, sent["inquiry"], decision="withdrawn", kommun=kommun_a.pk, lost_to="Norge")
    assert _errors(response, "kommun") == ["Bara en etablerad investering har en kommun: lämna den tom."]
    assert _errors(response, "lost_to") == [
        "Bara en förlorad investering förlorades till någon: lämna ”förlorad till” tomt."
    ]
    assert not Outcome.objects.exists()


def test_jobs_and_investment_have_sane_bounds(staff, sent, kommun_a):
    inquiry = sent["inquiry"]
    base = {"decision": "established", "kommun": kommun_a.pk}
    response = _post_outcome(staff, inquiry, **base, jobs=constants.MAX_JOBS + 1)
    # 50 000 written the Swedish way, with a non-breaking space between the thousands.
    assert _errors(response, "jobs") == [
        "50\xa0000 arbetstillfällen är det mesta en etablering kan ha; kontrollera siffran."
    ]
    response = _post_outcome(staff, inquiry, "en", **base, investment_msek="1000000.1")
    assert _errors(response, "investment_msek") == [
        "1,000,000 MSEK is the most one establishment can invest; check the figure (in millions of kronor)."
    ]
    response = _post_outcome(staff, inquiry, **base, investment_msek="-5")
    assert _errors(response, "investment_msek") == ["En investering kan inte vara negativ."]
    response = _post_outcome(staff, inquiry, **base, jobs=-1)
    assert response.context["form"].errors["jobs"]
    assert not Outcome.objects.exists()
    # The bounds themselves are allowed.
    response = _post_outcome(
        staff, inquiry, **base, jobs=constants.MAX_JOBS, investment_msek=str(constants.MAX_INVESTMENT_MSEK)
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert (outcome.jobs, outcome.investment_msek) == (50_000, Decimal("1000000"))


def test_a_refused_correction_leaves_the_outcome_as_it_was(staff, sent, kommun_a):
    inquiry = sent["inquiry"]
    _post_outcome(staff, inquiry, decision="established", kommun=kommun_a.pk, jobs=120)
    messages_before = Message.objects.count()
    response = _post_outcome(staff, inquiry, decision="established", kommun=kommun_a.pk, jobs=10_000_000)
    assert response.status_code == 200 and _errors(response, "jobs")
    outcome = Outcome.objects.get()
    assert outcome.jobs == 120 and outcome.history.count() == 1
    assert Message.objects.count() == messages_before


def test_the_model_and_the_service_obey_the_same_rules(sent, kommun_a):
    """Django admin validates through Outcome.full_clean; the service checks the same before it saves."""
    inquiry = sent["inquiry"]
    with pytest.raises(ValidationError) as refused:
        Outcome(inquiry=inquiry, decision="established", kommun=kommun_a, jobs=10_000_000).full_clean()
    assert set(refused.value.message_dict) == {"jobs"}
    with pytest.raises(ValidationError) as refused:
        services.outcome_record(inquiry=inquiry, decision="lost_country", kommun=kommun_a, lost_to="Norge")
    assert set(refused.value.message_dict) == {"kommun"}
    assert not Outcome.objects.exists()


# --- The inquiry form ----------------------------------------------------------------------------


def _inquiry_data(staff, **changes):
    return {
        "code_name": "Project Fjord",
        "investor_name": "Fjord Foods AS",
        "source": "direct",
        "description": "Food plant",
        "req_area_ha": "15",
        "answer_deadline": (TODAY() + datetime.timedelta(days=10)).isoformat(),
        "responsible": staff.pk,
        **changes,
    }


def test_ten_million_planned_jobs_is_refused(staff):
    response = client_for(staff).post(reverse("inquiries:create"), _inquiry_data(staff, planned_jobs="10000000"))
    assert response.status_code == 200
    assert _errors(response, "planned_jobs") == [
        "50\xa0000 arbetstillfällen är det mesta en etablering kan ha; kontrollera siffran."
    ]
    assert not Inquiry.objects.exists()
    response = client_for(staff).post(reverse("inquiries:create"), _inquiry_data(staff, planned_jobs="400"))
    assert response.status_code == 302 and Inquiry.objects.get().planned_jobs == 400


def test_a_new_inquiry_cannot_be_needed_by_a_past_day(staff):
    yesterday = (TODAY() - datetime.timedelta(days=1)).isoformat()
    client = client_for(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("inquiries:create"), _inquiry_data(staff, needed_by=yesterday))
    assert _errors(response, "needed_by") == ["The date the investor needs the site by cannot be in the past."]
    assert not Inquiry.objects.exists()
    response = client_for(staff).post(reverse("inquiries:create"), _inquiry_data(staff, needed_by=TODAY().isoformat()))
    assert response.status_code == 302 and Inquiry.objects.get().needed_by == TODAY()


def test_an_old_inquiry_whose_dates_have_passed_still_saves(staff):
    inquiry = InquiryFactory(
        responsible=staff, needed_by=datetime.date(2024, 3, 1), answer_deadline=datetime.date(2024, 1, 15)
    )
    data = _inquiry_data(
        staff,
        code_name="Project Renamed",
        investor_name=inquiry.investor_name,
        req_area_ha="20",
        needed_by="2024-03-01",
        answer_deadline="2024-01-15",
    )
    response = client_for(staff).post(reverse("inquiries:edit", args=[inquiry.pk]), data)
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.code_name == "Project Renamed" and inquiry.needed_by == datetime.date(2024, 3, 1)
    # Moving the date to another past day is refused, and nothing of the edit is stored.
    response = client_for(staff).post(
        reverse("inquiries:edit", args=[inquiry.pk]), {**data, "code_name": "Again", "needed_by": "2024-04-01"}
    )
    assert _errors(response, "needed_by") == ["Datumet då investeraren behöver tomten kan inte ligga bakåt i tiden."]
    inquiry.refresh_from_db()
    assert inquiry.code_name == "Project Renamed" and inquiry.needed_by == datetime.date(2024, 3, 1)
