"""One person seeded in every table where a person can appear, and a whole-database dump."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection

from inquiries import services as inquiry_services
from inquiries.models import Answer, Inquiry
from members.models import Contact, User
from outbox.models import Message, Unsubscribe
from tests.factories import ContactFactory, DialogEntryFactory, FollowUpFactory, InquiryFactory, UserFactory


@dataclass
class Seeded:
    contact: Contact
    user: User
    inquiry: Inquiry
    answer: Answer
    entry: object
    name: str = "Greta Öberg"
    email: str = "greta.oberg@flen.example"
    phone: str = "070-555 12 34"

    @property
    def values(self) -> list[str]:
        return [self.name, self.email, self.phone]


@pytest.fixture
def greta(kommun_a, staff) -> Seeded:
    """Greta Öberg, näringslivschef in Flen: a contact, a user, a dialogue participant, the contact
    person of an answer, named in notes, in an investor contact, in e-mails, unsubscribed from a kind."""
    name, email, phone = Seeded.name, Seeded.email, Seeded.phone
    contact = ContactFactory(
        kommun=kommun_a, name=name, email=email, phone=phone, role=Contact.Role.INVESTMENT, is_primary=True
    )
    contact.title = "Näringslivschef"
    contact.save()  # a second version in the history
    user = UserFactory(email=email, first_name="Greta", last_name="Öberg", phone=phone, role="kommun", kommun=kommun_a)
    inquiry = InquiryFactory(responsible=staff, investor_contact=f"{name}, {email}, {phone}")
    [dispatch] = inquiry_services.inquiry_dispatch(inquiry=inquiry, kommun_ids=[kommun_a.pk], user=staff)
    answer = Answer.objects.create(
        dispatch=dispatch,
        decision=Answer.Decision.INTERESTED,
        offer=f"Kontakta {name} på {phone}.",
        contact=contact,
        answered_by=user,
    )
    entry = DialogEntryFactory(kommuner=[kommun_a], notes=f"Möte med {name}.", title="Möte i Flen")
    entry.contacts.add(contact)
    FollowUpFactory(entry=entry, owner=staff, text=f"Ring {name}")
    Message.objects.create(
        key=f"test:{email}:1",
        kind="test",
        to=email,
        subject=f"Hej {name}",
        body_text=f"Hej {name}, ring {phone}.",
        body_html=f"<p>Hej {name}</p>",
        status=Message.Status.SENT,
    )
    Unsubscribe.objects.create(email=email, kind="kommun_weekly")
    return Seeded(contact=contact, user=user, inquiry=inquiry, answer=answer, entry=entry)


def database_dump() -> dict[str, str]:
    """Every table's every row as text, read through the database's own catalogue (SQLite and PostgreSQL)."""
    dump = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 — the catalogue's own names
            dump[table] = "\n".join(" | ".join(str(v) for v in row) for row in cursor.fetchall())
    return dump


def tables_naming(values: list[str]) -> set[str]:
    """The tables whose dump holds any of `values` (case-insensitive)."""
    wanted = [v.lower() for v in values]
    return {table for table, text in database_dump().items() if any(v in text.lower() for v in wanted)}
