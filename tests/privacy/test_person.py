"""One person's data: found in every table, exported, corrected, erased without a trace."""

from __future__ import annotations

import json

import pytest
from django.db.models import Count

from inquiries.models import Answer, Dispatch, Inquiry
from members import retirement
from members.models import Contact, User
from outbox.models import Message
from overview.models import DialogEntry
from privacy import selectors, services
from privacy.models import PrivacyAction
from tests.conftest import client_for

from .conftest import database_dump, tables_naming

pytestmark = pytest.mark.django_db


def model_tables(tables) -> set[str]:
    from django.apps import apps

    return {apps.get_model(t.label)._meta.db_table for t in tables}


def test_the_person_is_found_in_every_table_that_names_them(greta):
    person = selectors.person_find(term=greta.email)
    assert [c.pk for c in person.contacts] == [greta.contact.pk]
    assert [u.pk for u in person.users] == [greta.user.pk]
    found = model_tables(selectors.person_data(person=person))
    # Every table whose raw rows hold her name, address or phone is in the export ...
    assert tables_naming(greta.values) <= found
    # ... and so is every table that refers to her records by id only.
    for label in ("inquiries_answer", "inquiries_historicalanswer", "dialog_entry_contacts"):
        assert any(label in table or table.endswith(label.split("_", 1)[1]) for table in found), label
    expected = {
        "members.Contact",
        "members.HistoricalContact",
        "members.User",
        "members.HistoricalUser",
        "inquiries.Inquiry",
        "inquiries.HistoricalInquiry",
        "inquiries.Answer",
        "inquiries.HistoricalAnswer",
        "overview.DialogEntry",
        "overview.HistoricalDialogEntry",
        "overview.DialogEntry_contacts",
        "overview.HistoricalDialogEntry_contacts",
        "overview.FollowUp",
        "outbox.Message",
        "outbox.Unsubscribe",
        "outbox.HistoricalUnsubscribe",
    }
    assert expected <= {t.label for t in selectors.person_data(person=person)}


def test_the_name_finds_the_same_person_as_the_address(greta):
    by_name = selectors.person_find(term="greta öberg")
    assert [c.pk for c in by_name.contacts] == [greta.contact.pk]
    assert [u.pk for u in by_name.users] == [greta.user.pk]
    assert greta.email in by_name.emails and greta.phone in by_name.phones


def test_a_short_or_unknown_term_finds_nothing(greta):
    assert not selectors.person_find(term="Bo").found
    assert selectors.person_data(person=selectors.person_find(term="Bo")) == []
    nobody = selectors.person_find(term="nobody@nowhere.example")
    assert nobody.contacts == [] and nobody.users == []
    assert selectors.person_data(person=nobody) == []


def test_staff_export_json_and_csv_and_each_is_audited(greta, staff):
    client = client_for(staff)
    response = client.get("/personuppgifter/person/", {"q": greta.email, "export": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["tables"]["members.Contact"][0]["email"] == greta.email
    assert any(greta.phone in (row.get("body_text") or "") for row in data["tables"]["outbox.Message"])
    response = client.get("/personuppgifter/person/", {"q": greta.email, "export": "csv"})
    text = response.content.decode("utf-8-sig")
    assert greta.name in text and greta.email in text
    actions = list(PrivacyAction.objects.filter(action=PrivacyAction.Action.EXPORT, actor=staff))
    assert len(actions) == 2
    assert actions[0].counts["members.Contact"] == 1
    # The audit log holds counts, never the data itself.
    stored = json.dumps([a.counts for a in actions]).lower()
    assert all(v.lower() not in stored for v in greta.values)


def test_the_person_page_shows_every_table_in_a_fixed_number_of_queries(
    greta, staff, django_assert_max_num_queries, kommun_a
):
    client = client_for(staff)
    # session, user, contacts, users, one per table with personal fields (about 60; the budget is for growth)
    with django_assert_max_num_queries(90) as few:
        response = client.get("/personuppgifter/person/", {"q": greta.email})
    assert response.status_code == 200
    assert greta.phone in response.content.decode()
    for n in range(10):
        Message.objects.create(key=f"more:{n}", kind="test", to=greta.email, subject="x", body_text=greta.name)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/personuppgifter/person/", {"q": greta.email})


def _figures():
    return {
        "inquiries": Inquiry.objects.count(),
        "dispatches": Dispatch.objects.count(),
        "answers": Answer.objects.count(),
        "answers_by_decision": dict(Answer.objects.values_list("decision").annotate(n=Count("pk"))),
        "entries": DialogEntry.objects.count(),
        "messages": Message.objects.count(),
    }


def test_erasure_leaves_no_copy_anywhere_and_keeps_the_figures(greta, admin_user):
    before = _figures()
    assert tables_naming(greta.values)  # she is there to begin with
    response = client_for(admin_user).post("/personuppgifter/person/radera/", {"q": greta.email, "confirm": "on"})
    assert response.status_code == 302
    # Nothing in any table, history and outbox included, holds her name, address or phone.
    dump = database_dump()
    leftovers = {t for t, text in dump.items() if any(v.lower() in text.lower() for v in greta.values)}
    assert leftovers == set()
    assert _figures() == before
    answer = Answer.objects.get(pk=greta.answer.pk)
    assert answer.contact.name == retirement.PLACEHOLDER_CONTACT_NAME
    assert answer.answered_by.email == retirement.PLACEHOLDER_USER_EMAIL
    assert "Borttagen person" in answer.offer
    assert Inquiry.objects.get(pk=greta.inquiry.pk).investor_contact == services.PLACEHOLDER_PERSON
    assert list(DialogEntry.objects.get(pk=greta.entry.pk).contacts.values_list("name", flat=True)) == [
        retirement.PLACEHOLDER_CONTACT_NAME
    ]
    action = PrivacyAction.objects.get(action=PrivacyAction.Action.ERASE)
    assert action.actor == admin_user
    assert action.counts["members.Contact"] == 1 and action.counts["outbox.Message"] >= 1


def test_an_investor_contact_is_erased_in_the_inquiry_and_its_history(staff, admin_user):
    from tests.factories import InquiryFactory

    inquiry = InquiryFactory(responsible=staff, investor_contact="Erik Nordlys, erik@nordlys.example, +46 70 1234567")
    inquiry.description = "Second version"
    inquiry.save()
    person = selectors.person_find(term="erik@nordlys.example")
    found = {t.label for t in selectors.person_data(person=person)}
    assert found == {"inquiries.Inquiry", "inquiries.HistoricalInquiry"}
    services.person_erase(person=person, actor=admin_user)
    assert tables_naming(["erik@nordlys.example", "Erik Nordlys", "1234567"]) == set()
    assert Inquiry.objects.get(pk=inquiry.pk).investor_contact == services.PLACEHOLDER_PERSON


def test_erasure_needs_the_confirmation_and_an_exact_person(greta, admin_user):
    client = client_for(admin_user)
    response = client.post("/personuppgifter/person/radera/", {"q": greta.email}, follow=True)
    assert "Kryssa i rutan" in response.content.decode()  # Swedish by default
    assert Contact.objects.filter(pk=greta.contact.pk).exists()
    response = client.post("/personuppgifter/person/radera/", {"q": "ab", "confirm": "on"}, follow=True)
    assert "Ingen att radera" in response.content.decode()
    assert not PrivacyAction.objects.filter(action=PrivacyAction.Action.ERASE).exists()


def test_an_administrator_cannot_erase_themself(admin_user):
    with pytest.raises(services.ValidationError):
        services.person_erase(person=selectors.person_find(term=admin_user.email), actor=admin_user)
    assert User.objects.filter(pk=admin_user.pk).exists()


@pytest.mark.parametrize("persona", ["staff", "user_a", "user_b", "user_outside"])
def test_only_an_administrator_erases_or_corrects(greta, personas, persona):
    client = client_for(personas[persona])
    assert client.post("/personuppgifter/person/radera/", {"q": greta.email, "confirm": "on"}).status_code == 404
    assert client.post("/personuppgifter/person/ratta/", {"q": greta.email, "phone": "1"}).status_code == 404
    assert Contact.objects.get(pk=greta.contact.pk).phone == greta.phone
    assert not PrivacyAction.objects.exists()


def test_anonymous_is_sent_to_sign_in(greta):
    from django.test import Client

    for url in ("/personuppgifter/", "/personuppgifter/person/?q=x", "/personuppgifter/gallring/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
    response = Client().post("/personuppgifter/person/radera/", {"q": greta.email, "confirm": "on"})
    assert response.status_code == 302
    assert Contact.objects.filter(pk=greta.contact.pk).exists()


def test_a_kommun_user_gets_404_on_every_privacy_page(greta, user_a):
    client = client_for(user_a)
    for url in ("/personuppgifter/", "/personuppgifter/personer/?q=greta", f"/personuppgifter/person/?q={greta.email}"):
        assert client.get(url).status_code == 404


def test_correction_changes_contact_and_user_and_is_audited_without_values(greta, admin_user):
    response = client_for(admin_user).post(
        "/personuppgifter/person/ratta/", {"q": greta.email, "phone": "070-999 00 00", "email": "greta@flen.example"}
    )
    assert response.status_code == 302
    contact = Contact.objects.get(pk=greta.contact.pk)
    user = User.objects.get(pk=greta.user.pk)
    assert (contact.phone, contact.email) == ("070-999 00 00", "greta@flen.example")
    assert (user.phone, user.email) == ("070-999 00 00", "greta@flen.example")
    assert contact.history.first().phone == "070-999 00 00"  # the history records the change
    action = PrivacyAction.objects.get(action=PrivacyAction.Action.CORRECT)
    assert "070-999" not in json.dumps(action.counts) and "greta@" not in json.dumps(action.counts)
    assert action.counts["field:phone"] == 1


def test_a_correction_to_another_users_address_is_refused_and_changes_nothing(greta, admin_user, staff):
    response = client_for(admin_user).post(
        "/personuppgifter/person/ratta/", {"q": greta.email, "email": staff.email, "phone": "1"}, follow=True
    )
    assert "redan" in response.content.decode()  # "En annan användare har redan …"
    assert Contact.objects.get(pk=greta.contact.pk).phone == greta.phone
    assert not PrivacyAction.objects.exists()


def test_search_lists_matching_contacts_and_users(greta, staff, django_assert_max_num_queries):
    client = client_for(staff)
    # session, user, contacts, users
    with django_assert_max_num_queries(6):
        response = client.get("/personuppgifter/personer/", {"q": "öberg"})
    body = response.content.decode()
    assert greta.email in body and "Flen" in body


def test_a_longer_address_or_name_of_someone_else_is_neither_exported_nor_erased(greta, admin_user, kommun_a):
    from outbox.models import Unsubscribe
    from tests.factories import ContactFactory

    other_email = f"x{greta.email}"  # "xgreta.oberg@…": contains hers, is not hers
    other = ContactFactory(kommun=kommun_a, name=f"{greta.name}sson", email=other_email)
    Message.objects.create(key=f"test:{other_email}:1", kind="test", to=other_email, subject="Hej", body_text="Hej")
    Unsubscribe.objects.create(email=other_email, kind="kommun_weekly")
    person = selectors.person_find(term=greta.email)
    exported = json.dumps([t.rows for t in selectors.person_data(person=person)], default=str)
    assert other_email not in exported and f"{greta.name}sson" not in exported
    services.person_erase(person=person, actor=admin_user)
    assert Contact.objects.get(pk=other.pk).email == other_email
    assert Message.objects.get(key=f"test:{other_email}:1").to == other_email
    assert Unsubscribe.objects.filter(email=other_email).exists()
