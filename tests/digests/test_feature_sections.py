"""Digest sections from inquiries and the dialog log, built with real data through the real
recipients: hand-counted content, isolation between kommuner (marker strings planted in Värmdö's
inquiry, answer and feedback never reach Flen), the daily reminder once per dispatch, both languages."""

import datetime

import pytest
from django.utils import timezone

from digests import periods, recipients, services
from digests.constants import DEADLINE_DAILY, KOMMUN_WEEKLY, MEMBER_QUARTERLY, STAFF_WEEKLY
from inquiries.models import Answer, Dispatch
from members.models import Contact, Kommun, Site, User
from outbox.models import Message
from tests.factories import ContactFactory, DialogEntryFactory, SiteFactory, UserFactory
from tests.overview.inquiry_data import dispatch, established, moment

from .conftest import full_contacts

pytestmark = pytest.mark.django_db

MARK_INQUIRY = "MARKER-B-INQUIRY"
MARK_ANSWER = "MARKER-B-ANSWER"
MARK_FEEDBACK = "MARKER-B-FEEDBACK"


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def texts(kind: str) -> dict[str, str]:
    return {m.to: m.subject + m.body_text + m.body_html for m in Message.objects.filter(kind=kind)}


@pytest.fixture
def week_events(kommun_a, kommun_b, user_a, user_b, week):
    """Flen: one inquiry awaiting its answer (deadline in 5 days), one forwarded with feedback
    last week, one site not confirmed for two years. Värmdö: the same kinds of thing, with markers."""
    full_contacts(kommun_a, "flen")
    full_contacts(kommun_b, "varmdo")
    in_week = moment(week.start + datetime.timedelta(days=2))
    dispatch(kommun_a, sent=days(-9), deadline=days(5), code_name="Flen Open")
    fed = dispatch(kommun_a, sent=days(-60), answered_after_days=3, code_name="Flen Forwarded", shortlisted=True)
    Dispatch.objects.filter(pk=fed.pk).update(
        forwarded_at=in_week, feedback="Bra erbjudande, nära.", feedback_at=in_week
    )
    SiteFactory(kommun=kommun_a, name="Gamla Tomten", last_confirmed=days(-800))
    dispatch(kommun_b, sent=days(-9), deadline=days(5), code_name=MARK_INQUIRY)
    b_fed = dispatch(kommun_b, sent=days(-60), answered_after_days=3, code_name="Värmdö Forwarded")
    Answer.objects.filter(dispatch=b_fed).update(offer=MARK_ANSWER)
    Dispatch.objects.filter(pk=b_fed.pk).update(forwarded_at=in_week, feedback=MARK_FEEDBACK, feedback_at=in_week)
    SiteFactory(kommun=kommun_b, name="Värmdö Gammal Tomt", last_confirmed=days(-800))


def test_kommun_digest_shows_own_inquiries_and_nothing_of_another_kommun(
    week_events, user_a, user_b, week, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_send(kind=KOMMUN_WEEKLY, period=week)
    sent = texts(KOMMUN_WEEKLY)
    flen, varmdo = sent[user_a.email], sent[user_b.email]
    assert "Förfrågningar som väntar på ert svar" in flen and "Flen Open" in flen and "(5 dagar kvar)" in flen
    assert "Vad som hände med era svar" in flen and "Flen Forwarded" in flen
    assert "ert erbjudande skickades vidare till investeraren" in flen and "Bra erbjudande, nära." in flen
    assert "Tomter att bekräfta" in flen and "Gamla Tomten" in flen
    for marker in (MARK_INQUIRY, MARK_ANSWER, MARK_FEEDBACK, "Värmdö"):
        assert marker not in flen, marker
    # Värmdö sees its own inquiry and feedback (answers are never repeated in a digest).
    assert MARK_INQUIRY in varmdo and MARK_FEEDBACK in varmdo and "Flen" not in varmdo
    # The näringslivschef without a login reads as a stand-in Flen user: the same isolation.
    contact = sent["naringslivschef@flen.example"]
    assert "Flen Open" in contact and not any(m in contact for m in (MARK_INQUIRY, MARK_FEEDBACK))


def test_kommun_digest_in_english(week_events, user_a, week):
    user_a.language = "en"
    user_a.save()
    services.digests_send(kind=KOMMUN_WEEKLY, period=week)
    text = texts(KOMMUN_WEEKLY)[user_a.email]
    assert "Inquiries awaiting your answer" in text and "(5 days left)" in text
    assert "What became of your answers" in text and "your offer was forwarded to the investor" in text
    assert "Sites to confirm" in text and "Förfrågningar som väntar" not in text


# --- Daily deadline reminder ---------------------------------------------------------------------


@pytest.fixture
def due_soon(kommun_a, kommun_b):
    """Flen: one inquiry due in 2 days unanswered (reminded), one due in 2 days answered and one due
    in 6 days (not reminded). Värmdö: one due in 2 days with a marker in its name."""
    ContactFactory(kommun=kommun_a, role=Contact.Role.NARINGSLIVSCHEF, email="nlc@flen.example")
    ContactFactory(kommun=kommun_a, role=Contact.Role.INVESTMENT, email="inv@flen.example", is_primary=False)
    ContactFactory(kommun=kommun_a, role=Contact.Role.KSO, email="kso@flen.example")
    ContactFactory(kommun=kommun_b, role=Contact.Role.NARINGSLIVSCHEF, email="nlc@varmdo.example")
    dispatch(kommun_a, sent=days(-12), deadline=days(2), code_name="Flen Due")
    dispatch(kommun_a, sent=days(-12), deadline=days(2), answered_after_days=1, code_name="Flen Answered")
    dispatch(kommun_a, sent=days(-12), deadline=days(6), code_name="Flen Later")
    dispatch(kommun_b, sent=days(-12), deadline=days(2), code_name=MARK_INQUIRY)


def test_deadline_reminder_goes_to_the_naringslivschef_and_investment_contacts(
    due_soon, user_a, kommun_a, django_capture_on_commit_callbacks
):
    other_user = UserFactory(email="planner@flen.example", role=User.Role.KOMMUN, kommun=kommun_a)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.digests_send(kind=DEADLINE_DAILY, period=periods.day(today()))
    sent = texts(DEADLINE_DAILY)
    assert {"nlc@flen.example", "inv@flen.example", "nlc@varmdo.example"} <= set(sent)
    # user_a is Flen's näringslivschef (a contact with a login); the KSO and other users are not asked.
    assert "kso@flen.example" not in sent and other_user.email not in sent
    flen = sent["nlc@flen.example"]
    assert "Svar senast om två dagar" in flen and "Flen Due" in flen
    assert "Flen Answered" not in flen and "Flen Later" not in flen and MARK_INQUIRY not in flen
    assert MARK_INQUIRY in sent["nlc@varmdo.example"]
    assert report.queued == 3


def test_each_dispatch_is_reminded_once_over_the_daily_runs(due_soon, django_capture_on_commit_callbacks):
    """Runs for the days before, on and after the reminder day (and the same day twice)."""
    with django_capture_on_commit_callbacks(execute=True):
        for offset in (-3, -2, -1, 0, 0, 1, 2):
            services.digests_send(kind=DEADLINE_DAILY, period=periods.day(days(offset)))
    flen = Message.objects.filter(kind=DEADLINE_DAILY, to="nlc@flen.example")
    assert [m.key.split(":")[-2] for m in flen] == [today().isoformat()]
    # "Flen Later" (due in 6 days) is reminded on its own day, 4 days from now, once.
    with django_capture_on_commit_callbacks(execute=True):
        for offset in (3, 4, 4, 5):
            services.digests_send(kind=DEADLINE_DAILY, period=periods.day(days(offset)))
    later = [
        m for m in Message.objects.filter(kind=DEADLINE_DAILY, to="nlc@flen.example") if "Flen Later" in m.body_text
    ]
    assert len(later) == 1 and days(4).isoformat() in later[0].key


def test_reopened_dispatch_is_reminded_for_its_new_last_day(kommun_a, due_soon):
    flen_due = Dispatch.objects.get(inquiry__code_name="Flen Due")
    Dispatch.objects.filter(pk=flen_due.pk).update(reopened_until=days(9))
    reader = recipients.kommun_reader(kommun_a)
    recipient = recipients.Recipient("nlc@flen.example", "NLC", "sv", reader, kommun=kommun_a)
    assert services.digest_build(kind=DEADLINE_DAILY, recipient=recipient, period=periods.day(today())) is None
    digest = services.digest_build(kind=DEADLINE_DAILY, recipient=recipient, period=periods.day(days(7)))
    assert [r["code_name"] for r in digest.sections[0].data["rows"]] == ["Flen Due"]


# --- Staff digest ------------------------------------------------------------------------------


@pytest.fixture
def staff_events(kommun_a, kommun_b, week):
    """Overdue: Flen and Värmdö 3 days late on 'Late One' (still taking answers). Closing in 4 days
    with 1 of 3 answered: 'Thin One'. New answers last week: Värmdö on 'Thin One'. Flen has a
    logged contact 10 days ago; Värmdö's last was 200 days ago."""
    late = dispatch(kommun_a, sent=days(-20), deadline=days(-3), code_name="Late One")
    dispatch(kommun_b, sent=days(-20), deadline=days(-3), inquiry=late.inquiry)
    third = Kommun.objects.members().exclude(pk__in=[kommun_a.pk, kommun_b.pk]).first()
    thin = dispatch(kommun_a, sent=days(-10), deadline=days(4), code_name="Thin One")
    dispatch(third, sent=days(-10), deadline=days(4), inquiry=thin.inquiry)
    answered = dispatch(kommun_b, sent=days(-10), deadline=days(4), inquiry=thin.inquiry, answered_after_days=1)
    Answer.objects.filter(dispatch=answered).update(answered_at=moment(week.start + datetime.timedelta(days=1)))
    DialogEntryFactory(date=days(-10), kommuner=[kommun_a])
    DialogEntryFactory(date=days(-200), kommuner=[kommun_b])


def test_staff_digest_lists_overdue_closing_new_answers_and_members_without_contact(
    staff_events, staff, english_staff, kommun_a, kommun_b, week
):
    services.digests_send(kind=STAFF_WEEKLY, period=week)
    sent = texts(STAFF_WEEKLY)
    sv, en = sent[staff.email], sent[english_staff.email]
    assert "Svar som är försenade" in sv and "Late One: Flen (3 dagar sent), Värmdö (3 dagar sent)" in sv
    assert "Förfrågningar som stänger med få svar" in sv and "1 av 3 kommuner har svarat" in sv
    assert "Nya svar" in sv and "Thin One: Värmdö, intresserad" in sv
    without = Kommun.objects.members().count() - 1  # every member but Flen (Värmdö: 200 days ago)
    assert "Medlemmar utan kontakt på 90 dagar" in sv and f"{without} medlemmar har ingen loggad kontakt" in sv
    digest = services.digest_build(kind=STAFF_WEEKLY, recipient=recipients._from_user(staff), period=week)
    no_contact = next(s.data for s in digest.sections if s.key == "kommuner_without_contact")
    assert no_contact["count"] == without and "Flen" not in [r["name"] for r in no_contact["rows"]]
    assert "Answers overdue" in en and "Late One: Flen (3 days late)" in en
    assert "Inquiries closing with few answers" in en and "1 of 3 kommuner answered" in en
    assert "Members without contact for 90 days" in en


def test_kommun_user_never_gets_the_staff_only_sections(staff_events, user_a, week):
    recipient = recipients._from_user(user_a)
    digest = services.digest_build(kind=STAFF_WEEKLY, recipient=recipient, period=week)
    keys = [s.key for s in digest.sections] if digest else []
    assert "kommuner_without_contact" not in keys
    # Through the access module a kommun user sees only its own dispatches, never Värmdö's answer.
    for section in digest.sections if digest else []:
        assert "Värmdö" not in str(section.data)


# --- Quarterly member report ---------------------------------------------------------------------


def test_quarterly_report_counts_the_kommuns_inquiries(kommun_a, kommun_b, quarter):
    """Flen in the quarter: 3 received, 2 answered, 1 forwarded, 1 won (80 jobs). Värmdö's win and
    Flen's inquiry of the quarter before are not counted."""
    full_contacts(kommun_a, "flen")
    start = quarter.start
    won = dispatch(kommun_a, sent=start + datetime.timedelta(days=3), answered_after_days=2, forwarded=True)
    dispatch(kommun_a, sent=start + datetime.timedelta(days=10), answered_after_days=5)
    dispatch(kommun_a, sent=start + datetime.timedelta(days=20))
    dispatch(kommun_a, sent=start - datetime.timedelta(days=20), answered_after_days=1)
    established(won.inquiry, kommun_a, on=start + datetime.timedelta(days=40), jobs=80, msek="12")
    b_won = dispatch(kommun_b, sent=start + datetime.timedelta(days=3), answered_after_days=1, code_name=MARK_INQUIRY)
    established(b_won.inquiry, kommun_b, on=start + datetime.timedelta(days=40), jobs=999, msek="1")
    services.digests_send(kind=MEMBER_QUARTERLY, period=quarter)
    body = Message.objects.get(kind=MEMBER_QUARTERLY, to="kso@flen.example").body_text
    assert "3 förfrågningar från Invest Stockholm nådde kommunen detta kvartal." in body
    assert "- besvarade: 2 (67 %)" in body and "- vidarebefordrade till investeraren: 1" in body
    assert "- vunna (investeraren etablerade sig i kommunen): 1, 80 planerade arbetstillfällen" in body
    assert MARK_INQUIRY not in body and "999" not in body


def test_stale_site_confirmed_recently_is_not_listed(kommun_a, user_a, week):
    full_contacts(kommun_a, "flen")
    SiteFactory(kommun=kommun_a, name="Ny Tomt", last_confirmed=today())
    assert Site.objects.filter(kommun=kommun_a).count() == 1
    assert services.digest_build(kind=KOMMUN_WEEKLY, recipient=recipients._from_user(user_a), period=week) is None
