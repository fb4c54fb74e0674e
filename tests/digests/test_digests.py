"""Digests built with real data: isolation between kommuner, unsubscribing, both languages,
empty digests not sent, a repeated run sends nothing, a bounded number of queries per recipient."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from digests import recipients, services
from digests.constants import DEADLINE_DAILY, KOMMUN_WEEKLY, MEMBER_QUARTERLY, STAFF_WEEKLY
from inquiries.models import Dispatch
from members.models import Kommun, User
from nki.models import NkiImport, NkiResult, ServiceArea
from outbox.models import Message, Unsubscribe

from ..factories import SiteFactory, UserFactory
from ..overview.inquiry_data import dispatch, established
from .conftest import full_contacts

pytestmark = pytest.mark.django_db


def bodies(kind):
    return {m.to: m.body_text for m in Message.objects.filter(kind=kind)}


def test_kommun_digest_shows_own_gaps_and_nothing_of_another_kommun(
    flen_with_gaps, varmdo_with_gaps, user_a, user_b, week, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.digests_send(kind=KOMMUN_WEEKLY, period=week)
    assert report.queued >= 2
    sent = bodies(KOMMUN_WEEKLY)
    flen, varmdo = sent[user_a.email], sent[user_b.email]
    assert "Flen" in flen and "Näringslivschef" in flen and "SBA-medlemskapet för Flen upphör" in flen
    assert "Värmdö" not in flen and "Värmdösk" not in flen and "varmdo" not in flen.lower()
    assert "Värmdö" in varmdo and "Flen" not in varmdo and "Flensk" not in varmdo
    # Delivered exactly once per recipient.
    assert sorted(m.to[0] for m in mail.outbox if m.to[0] in (user_a.email, user_b.email)) == sorted(
        [user_a.email, user_b.email]
    )


def test_stand_in_reader_of_a_contact_sees_only_its_kommun(flen_with_gaps, varmdo_with_gaps, kommun_a, quarter):
    reader = recipients.kommun_reader(kommun_a)
    digest_for = {r.email: r for r in recipients.member_leadership_recipients(quarter)}
    kso = digest_for["kso@flen.example"]
    assert kso.user is None and kso.language == "sv" and kso.viewer.kommun == kommun_a
    assert reader.pk is None  # never saved
    digest = services.digest_build(kind=MEMBER_QUARTERLY, recipient=kso, period=quarter)
    subject, text, html = services.digest_render(digest)
    assert "Flen" in subject and "Flensk Ordförande" in text
    assert "Värmdö" not in text + html and "Värmdösk" not in text + html


def test_quarterly_report_to_kso_and_kommundirektor_in_swedish(
    flen_with_gaps, quarter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_send(kind=MEMBER_QUARTERLY, period=quarter)
    flen = {m.to: m for m in Message.objects.filter(kind=MEMBER_QUARTERLY, to__endswith="@flen.example")}
    assert set(flen) == {"kso@flen.example", "kd@flen.example"}
    body = flen["kso@flen.example"].body_text
    assert "SBA-medlemsrapport: Flen" in flen["kso@flen.example"].subject
    assert "har varit medlem i SBA sedan" in body and "ingen registrerad" in body
    assert "/e-post/avregistrera/" in body and "/e-post/installningar/" not in body  # no login


def test_staff_digest_in_english_and_swedish(english_staff, staff, user_a, week, django_capture_on_commit_callbacks):
    user_a.invited_at = user_a.date_joined
    user_a.set_unusable_password()
    user_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_send(kind=STAFF_WEEKLY, period=week)
    sent = {m.to: m for m in Message.objects.filter(kind=STAFF_WEEKLY)}
    en, sv = sent[english_staff.email], sent[staff.email]
    assert en.language == "en" and "Members nobody has signed in from" in en.body_text
    assert "Invitations not yet accepted" in en.body_text and user_a.email in en.body_text
    assert sv.language == "sv" and "Medlemmar där ingen har loggat in" in sv.body_text
    assert "Inbjudningar som inte har accepterats" in sv.body_text
    assert "<h2" in sv.body_html and "Medlemmar där ingen har loggat in" in sv.body_html


def test_unsubscribed_recipient_gets_nothing_of_that_kind(
    flen_with_gaps, user_a, week, quarter, django_capture_on_commit_callbacks
):
    Unsubscribe.objects.create(email=user_a.email, kind=KOMMUN_WEEKLY)
    Unsubscribe.objects.create(email="kso@flen.example", kind=MEMBER_QUARTERLY)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.digests_send(kind=KOMMUN_WEEKLY, period=week)
        services.digests_send(kind=MEMBER_QUARTERLY, period=quarter)
    assert report.unsubscribed == 1
    assert not Message.objects.filter(to=user_a.email, kind=KOMMUN_WEEKLY).exists()
    assert not Message.objects.filter(to="kso@flen.example").exists()
    assert Message.objects.filter(to="kd@flen.example", kind=MEMBER_QUARTERLY).exists()
    assert user_a.email not in [m.to[0] for m in mail.outbox]


def test_empty_digest_is_not_sent(kommun_a, user_a, week):
    full_contacts(kommun_a, "flen")
    report = services.digests_send(kind=KOMMUN_WEEKLY, period=week)
    assert not Message.objects.filter(to=user_a.email).exists()
    assert report.empty >= 1


def test_same_period_twice_queues_once(flen_with_gaps, user_a, week, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.digests_send(kind=KOMMUN_WEEKLY, period=week)
        second = services.digests_send(kind=KOMMUN_WEEKLY, period=week)
    assert first.queued > 0 and second.queued == 0 and second.already == first.queued
    assert Message.objects.filter(to=user_a.email).count() == 1
    assert [m.to[0] for m in mail.outbox].count(user_a.email) == 1


def test_command_dry_run_prints_and_writes_nothing(flen_with_gaps, user_a, capsys):
    call_command("send_digests", "--kind", "kommun_weekly", "--period", "2026-W48", "--dry-run")
    out = capsys.readouterr().out
    assert f"To: {user_a.email} (sv)" in out and "Kontaktpersoner saknas" in out and "would queue" in out
    assert not Message.objects.exists() and mail.outbox == []


def test_command_sends_and_refuses_bad_input(flen_with_gaps, user_a, capsys):
    call_command("send_digests", "--kind", "kommun_weekly", "--period", "2026-W48")
    assert Message.objects.filter(to=user_a.email, key__endswith="2026-W48:0482").count() == 1
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="write it like 2026-W48"):
        call_command("send_digests", "--kind", "kommun_weekly", "--period", "48")
    with pytest.raises(CommandError, match="Unknown digest kind"):
        call_command("send_digests", "--kind", "nonsense")
    assert Message.objects.count() == 1


def test_schedules_are_seeded_for_beat():
    tasks = {t.name: t for t in PeriodicTask.objects.select_related("crontab")}
    kommun = tasks["Kommun weekly digest"]
    assert kommun.task == "digests.tasks.send_digests" and kommun.args == '["kommun_weekly"]'
    assert (kommun.crontab.minute, kommun.crontab.hour, kommun.crontab.day_of_week) == ("0", "7", "1")
    assert str(kommun.crontab.timezone) == "Europe/Stockholm"
    for name in ("Staff weekly digest", "Daily deadline reminders", "Outbox sweeper"):
        assert tasks[name].enabled
    assert "Quarterly member report (KSO and kommundirektör)" in tasks
    nki = tasks["NKI news (NKI, bygglov and miljö contacts)"]
    assert nki.args == '["nki_weekly"]' and (nki.crontab.minute, nki.crontab.hour) == ("5", "7")


def test_building_every_digest_of_the_region_has_a_bounded_query_count(week, quarter):
    """All member kommuner with users, contacts, sites, inquiries (open, answered with feedback,
    overdue, won) and NKI results imported in the week, and staff: queries grow at most by a small
    constant per recipient (each section reads once or twice through the access module, whatever
    the kommun's own data)."""
    today = timezone.localdate()
    members = list(Kommun.objects.members())
    total = ServiceArea.objects.get(code="totalt")
    nki_import = NkiImport.objects.create(kind=NkiImport.Kind.XLSX, file_name="nki.xlsx", file_hash="c" * 64)
    in_week = timezone.make_aware(datetime.datetime.combine(week.start, datetime.time(9)))
    NkiImport.objects.filter(pk=nki_import.pk).update(imported_at=in_week)
    for n, kommun in enumerate(members):
        UserFactory(email=f"nlc@{kommun.code}.example", role=User.Role.KOMMUN, kommun=kommun)
        full_contacts(kommun, kommun.code)
        SiteFactory(kommun=kommun, last_confirmed=today - datetime.timedelta(days=800))
        dispatch(kommun, sent=today - datetime.timedelta(days=12), deadline=today + datetime.timedelta(days=2))
        dispatch(kommun, sent=today - datetime.timedelta(days=30), deadline=today - datetime.timedelta(days=3))
        answered = dispatch(kommun, sent=week.start, answered_after_days=1, forwarded=True, feedback="Tack!")
        Dispatch.objects.filter(pk=answered.pk).update(feedback_at=answered.sent_at)
        for year, value in ((quarter.end.year - 1, "71.5"), (quarter.end.year - 2, "69.0")):
            NkiResult.objects.create(kommun=kommun, area=total, year=year, nki=Decimal(value), nki_import=nki_import)
        if n % 3 == 0:
            won = dispatch(kommun, sent=quarter.start, answered_after_days=2)
            established(won.inquiry, kommun, on=quarter.start + datetime.timedelta(days=30), jobs=10, msek="5")
    for n in range(5):
        UserFactory(email=f"staff{n}@investstockholm.example", role=User.Role.STAFF)
    budgets = {
        # contacts missing, membership ending, awaiting answer, feedback and outcomes, stale sites,
        # NKI news
        KOMMUN_WEEKLY: (week, 6),
        # never signed in, contacts missing, invitations, memberships ending; overdue, closing,
        # new answers; members without contact
        STAFF_WEEKLY: (week, 8),
        # membership facts (2), contact facts; inquiry facts (2); NKI movement
        MEMBER_QUARTERLY: (quarter, 6),
        DEADLINE_DAILY: (services.period_for(DEADLINE_DAILY), 1),
    }
    for kind, (period, per_recipient) in budgets.items():
        with CaptureQueriesContext(connection) as queries:
            report = services.digests_send(kind=kind, period=period, dry_run=True)
        # recipients (≤ 3 queries), unsubscribed addresses, already-queued keys, the NKI years'
        # completeness (≤ 4, built once and cached: nki.selectors.year_statuses), then the sections
        assert report.recipients >= 5 and report.planned, kind
        assert len(queries) <= 9 + per_recipient * report.recipients, (kind, len(queries), report.recipients)
    assert not Message.objects.exists()


def test_reminder_with_nothing_due_sends_nothing(kommun_a, user_a):
    full_contacts(kommun_a, "flen")
    report = services.digests_send(kind=DEADLINE_DAILY, period=services.period_for(DEADLINE_DAILY))
    assert report.recipients >= 1 and report.queued == 0 and report.empty == report.recipients
    assert not Message.objects.exists()


def test_kommun_digest_in_english_for_an_english_user(flen_with_gaps, user_a, week):
    user_a.language = "en"
    user_a.save()
    services.digests_send(kind=KOMMUN_WEEKLY, period=week)
    message = Message.objects.get(to=user_a.email)
    assert message.language == "en" and message.subject.startswith("SBA weekly digest: Flen")
    assert "Contacts missing" in message.body_text and "Membership ending" in message.body_html
    assert "Kontaktpersoner saknas" not in message.body_text
