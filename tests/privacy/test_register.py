"""The register of processing: read from the models' marks; a personal field without a mark fails."""

from __future__ import annotations

import pytest
from django.db import models
from django.test.utils import isolate_apps

from members.models import Contact
from members.personal import Audience, Basis, Kind, NotPersonal, Personal, Purpose, Retention
from privacy import register
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_every_field_that_looks_personal_is_marked():
    """Every model, the history tables, the many-to-many tables, the outbox and the libraries'."""
    assert register.unmarked() == []


@isolate_apps("privacy")
def test_a_new_personal_field_without_a_mark_fails():
    class Visit(models.Model):
        visitor_email = models.EmailField()
        contact = models.ForeignKey(Contact, on_delete=models.PROTECT)
        remarks = models.TextField()
        ip = models.GenericIPAddressField()
        seats = models.PositiveIntegerField()

        class Meta:
            app_label = "privacy"

        def __str__(self) -> str:
            return self.visitor_email

    assert register.unmarked([Visit]) == [
        "privacy.Visit.visitor_email",
        "privacy.Visit.contact",
        "privacy.Visit.remarks",
        "privacy.Visit.ip",
    ]
    mark = Personal(Kind.EMAIL, Purpose.DIALOG, Basis.PUBLIC_TASK, Audience.STAFF, Retention.RECORD)
    Visit.personal_data = {
        "visitor_email": mark,
        "contact": mark,
        "remarks": mark,
        "ip": NotPersonal("the meeting room's address"),
    }
    assert register.unmarked([Visit]) == []


def test_history_copies_take_the_mark_of_what_they_copy():
    history = Contact.history.model
    assert register.mark_of(history, "email") is Contact.personal_data["email"]
    assert register.mark_of(history, "history_user").kind == Kind.REFERENCE


def test_the_register_names_purpose_basis_audience_retention_and_copies():
    entries = {(e.label, e.field): e for e in register.entries()}
    email = entries[("members.Contact", "email")]
    assert email.mark.retention == Retention.CONTACT_INACTIVE
    assert [c.value for c in email.copies] == ["history", "outbox", "exports", "backups"]
    assert ("inquiries.Inquiry", "investor_contact") in entries
    assert ("outbox.Message", "body_text") in entries
    assert ("axes.AccessAttempt", "ip_address") in entries
    assert ("inquiries.Inquiry", "code_name") not in entries  # marked NotPersonal


def test_staff_see_the_register_and_export_it(staff, django_assert_max_num_queries):
    client = client_for(staff)
    # session, user, the session's save on the first request (in a savepoint): the register itself
    # is read from the code, whatever the data
    with django_assert_max_num_queries(6):
        response = client.get("/personuppgifter/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Registerförteckning" in body
    assert "kontakt hos investeraren" in body  # the field's own verbose name, in Swedish
    csv = client.get("/personuppgifter/?export=csv")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert len(text.splitlines()) == len(register.entries()) + 1
    xlsx = client.get("/personuppgifter/?export=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_the_register_in_english(staff):
    client = client_for(staff)
    client.post("/i18n/setlang/", {"language": "en"})
    body = client.get("/personuppgifter/").content.decode()
    assert "Register of processing" in body and "Legal basis" in body
