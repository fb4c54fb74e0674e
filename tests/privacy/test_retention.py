"""Retention: rules in data, a dry run that the run agrees with, audited, for administrators only."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from inquiries.models import Inquiry
from members.models import Contact
from outbox.models import Message
from privacy import services, tasks
from privacy.models import PrivacyAction, RetentionRule
from tests.conftest import client_for
from tests.factories import ContactFactory, InquiryFactory

pytestmark = pytest.mark.django_db

YEAR = datetime.timedelta(days=365)


def _age_history(model, **filters):
    model.history.model.objects.filter(**filters).update(history_date=timezone.now() - 6 * YEAR)


@pytest.fixture
def old_data(kommun_a, staff):
    """One of each thing a rule removes, and one of each that it keeps."""
    now = timezone.now()
    gone = ContactFactory(kommun=kommun_a, name="Gammal Kontakt", is_active=False)
    Contact.objects.filter(pk=gone.pk).update(deactivated_at=now - 3 * YEAR)
    ContactFactory(kommun=kommun_a, name="Nyss Inaktiv", is_active=False, deactivated_at=now - YEAR)
    kept = ContactFactory(kommun=kommun_a, name="Aktiv Kontakt")
    kept.title = "Ny titel"
    kept.save()  # two versions; the first is made old below
    _age_history(Contact, id=kept.pk, title="Näringslivschef")
    closed = InquiryFactory(investor_contact="Old Investor, old@investor.example", status=Inquiry.Status.CLOSED)
    Inquiry.history.model.objects.filter(id=closed.pk).update(history_date=now - 4 * YEAR)
    InquiryFactory(investor_contact="Open Investor, open@investor.example", status=Inquiry.Status.SENT)
    Message.objects.create(
        key="old",
        kind="test",
        to="a@b.example",
        subject="s",
        body_text="old body",
        status=Message.Status.SENT,
        sent_at=now - datetime.timedelta(days=100),
    )
    Message.objects.create(
        key="new",
        kind="test",
        to="a@b.example",
        subject="s",
        body_text="new body",
        status=Message.Status.SENT,
        sent_at=now - datetime.timedelta(days=5),
    )
    return {"gone": gone, "kept": kept, "closed": closed}


def test_the_rules_are_seeded_data():
    assert dict(RetentionRule.objects.values_list("kind", "keep")) == {
        "contact_inactive": 2,
        "investor_contact": 3,
        "outbox_body": 90,
        "history": 5,
    }


def test_dry_run_and_run_agree_and_a_second_run_finds_nothing(old_data):
    plan = services.retention_plan()
    assert plan.counts == {
        "investor_contact:inquiries.Inquiry": 1,
        "investor_contact:inquiries.HistoricalInquiry": 1,
        "outbox_body:outbox.Message": 1,
        "history:members.HistoricalContact": 1,
        "contact_inactive:members.Contact": 1,
    }
    assert services.retention_plan().counts == plan.counts  # the dry run changed nothing
    done = services.retention_apply()
    assert done.counts == plan.counts
    assert services.retention_plan().total == 0
    assert not Contact.objects.filter(pk=old_data["gone"].pk).exists()
    assert Contact.objects.filter(name="Nyss Inaktiv").exists()
    assert Inquiry.objects.get(pk=old_data["closed"].pk).investor_contact == ""
    assert Inquiry.objects.get(investor_contact__startswith="Open Investor")
    assert Message.objects.get(key="old").body_text == ""
    assert Message.objects.get(key="new").body_text == "new body"
    # The latest version of a row always stays.
    assert old_data["kept"].history.count() == 1
    action = PrivacyAction.objects.get(action=PrivacyAction.Action.RETENTION)
    assert action.counts == plan.counts and action.actor is None


def test_a_disabled_rule_removes_nothing(old_data):
    RetentionRule.objects.update(enabled=False)
    assert services.retention_plan().total == 0
    assert services.retention_apply().total == 0
    assert Message.objects.get(key="old").body_text == "old body"


def test_the_command_dry_run_reports_and_changes_nothing_then_the_run_removes_it(old_data):
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert "total\twould remove 5" in out.getvalue()
    assert Message.objects.get(key="old").body_text == "old body"
    out = StringIO()
    call_command("retention", stdout=out)
    assert "total\tremoved 5" in out.getvalue()
    assert Message.objects.get(key="old").body_text == ""


def test_the_nightly_task_applies_the_rules_and_is_scheduled(old_data):
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.get(task="privacy.tasks.apply_retention").enabled
    assert sum(tasks.apply_retention().values()) == 5
    assert tasks.apply_retention() == {}


def test_the_admin_page_shows_the_next_run_in_few_queries(old_data, admin_user, django_assert_max_num_queries):
    client = client_for(admin_user)
    # session, user, rules, one count per rule and table (about 30 history tables), rules for the table
    with django_assert_max_num_queries(45) as few:
        response = client.get("/personuppgifter/gallring/")
    body = response.content.decode()
    assert response.status_code == 200 and "Gallring" in body
    for n in range(10):
        Message.objects.create(
            key=f"old{n}",
            kind="test",
            to="a@b.example",
            subject="s",
            body_text="b",
            status=Message.Status.SENT,
            sent_at=timezone.now() - datetime.timedelta(days=200),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/personuppgifter/gallring/")
    response = client.post("/personuppgifter/gallring/kor/")
    assert response.status_code == 302
    assert PrivacyAction.objects.get(action=PrivacyAction.Action.RETENTION).actor == admin_user
    assert client.get("/personuppgifter/logg/").status_code == 200


def test_staff_cannot_run_retention(old_data, staff):
    client = client_for(staff)
    assert client.get("/personuppgifter/gallring/").status_code == 404
    assert client.post("/personuppgifter/gallring/kor/").status_code == 404
    assert Message.objects.get(key="old").body_text == "old body"
    assert not PrivacyAction.objects.exists()
