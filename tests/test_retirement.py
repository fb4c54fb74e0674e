"""Removing a contact or user never rewrites the record (members/retirement.py).

Everyday removal deletes what nothing names and deactivates the rest; erasure (personal data)
moves every reference, live and historical, to a named placeholder first.
"""

import datetime

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from digests import periods, recipients
from inquiries.models import Answer
from members import retirement
from members.models import Contact, User
from overview.dialog.models import DialogEntry

from .conftest import client_for
from .factories import ContactFactory, DialogEntryFactory, MembershipFactory, UserFactory
from .overview.inquiry_data import dispatch

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _answer_naming(contact: Contact, *, by: User | None = None) -> Answer:
    made = dispatch(contact.kommun, sent=TODAY - datetime.timedelta(days=3), answered_after_days=1)
    answer = made.answer
    answer.contact, answer.answered_by = contact, by
    answer.save()
    return answer


# --- Contacts: deactivated, not deleted, once named ----------------------------------------------


def test_removing_a_contact_an_answer_names_deactivates_it_and_the_answer_keeps_it(user_a, kommun_a):
    contact = ContactFactory(kommun=kommun_a, name="Sara Berg", role=Contact.Role.INVESTMENT, is_primary=True)
    answer = _answer_naming(contact)
    url = reverse("members:contact_delete", args=[kommun_a.code, contact.pk])
    client = client_for(user_a)

    confirm = client.get(url)
    assert confirm.context["deactivates"] is True
    assert "Deactivate" in confirm.content.decode() or "Inaktivera" in confirm.content.decode()

    response = client.post(url, follow=True)
    contact.refresh_from_db()
    answer.refresh_from_db()
    assert (contact.is_active, contact.is_primary, contact.deactivated_at is not None) == (False, False, True)
    assert answer.contact_id == contact.pk
    assert "inaktiverad" in response.content.decode() or "deactivated" in response.content.decode()
    # The history records the deactivation (who and when), not a deletion.
    assert contact.history.first().history_type == "~"
    assert contact.history.first().history_user == user_a


def test_a_deactivated_contact_leaves_the_page_lists_choices_and_e_mails(user_a, kommun_a, staff):
    contact = ContactFactory(
        kommun=kommun_a, name="Sara Berg", role=Contact.Role.NARINGSLIVSCHEF, email="sara@flen.se", is_primary=True
    )
    _answer_naming(contact)
    period = periods.day(TODAY)
    MembershipFactory(kommun=kommun_a, starts_on=TODAY - datetime.timedelta(days=400))
    assert "sara@flen.se" in {r.email for r in recipients.inquiry_contact_recipients(period)}

    client_for(user_a).post(reverse("members:contact_delete", args=[kommun_a.code, contact.pk]))

    assert "sara@flen.se" not in {r.email for r in recipients.inquiry_contact_recipients(period)}
    page = client_for(staff).get(kommun_a.get_absolute_url())
    sections = page.context["sections"]
    assert contact not in [c for _role, group in sections["contact_groups"] for c in group]
    assert sections["former_contacts"] == [contact]
    fresh = dispatch(kommun_a, sent=TODAY)
    form = client_for(user_a).get(reverse("inquiries:dispatch", args=[fresh.pk])).context["form"]
    assert contact not in form.fields["contact"].queryset


def test_a_contact_named_only_in_a_dialog_entry_is_deactivated_and_the_entry_still_lists_it(staff, kommun_a):
    contact = ContactFactory(kommun=kommun_a, name="Per Ek")
    entry = DialogEntryFactory(kommuner=[kommun_a])
    entry.contacts.add(contact)

    client_for(staff).post(reverse("members:contact_delete", args=[kommun_a.code, contact.pk]))

    contact.refresh_from_db()
    assert contact.is_active is False
    assert list(DialogEntry.objects.get(pk=entry.pk).contacts.all()) == [contact]
    page = client_for(staff).get(entry.get_absolute_url())
    assert "Per Ek" in page.content.decode()


def test_a_contact_nothing_names_is_deleted(user_a, kommun_a):
    contact = ContactFactory(kommun=kommun_a)
    client = client_for(user_a)
    assert (
        client.get(reverse("members:contact_delete", args=[kommun_a.code, contact.pk])).context["deactivates"] is False
    )

    client.post(reverse("members:contact_delete", args=[kommun_a.code, contact.pk]))

    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_a_former_contact_can_be_made_active_again_by_its_own_kommun_only(user_a, user_b, kommun_a):
    contact = ContactFactory(kommun=kommun_a)
    _answer_naming(contact)
    retirement.contact_remove(contact=contact)
    url = reverse("members:contact_reactivate", args=[kommun_a.code, contact.pk])

    assert client_for(user_b).post(url).status_code == 404
    contact.refresh_from_db()
    assert contact.is_active is False

    assert client_for(user_a).post(url).status_code == 302
    contact.refresh_from_db()
    assert (contact.is_active, contact.deactivated_at) == (True, None)


def test_deleting_a_named_contact_behind_the_portals_back_fails_instead_of_blanking_the_answer(kommun_a):
    contact = ContactFactory(kommun=kommun_a)
    answer = _answer_naming(contact)
    with pytest.raises(ProtectedError):
        contact.delete()
    answer.refresh_from_db()
    assert answer.contact_id == contact.pk


def test_editing_an_old_dialog_entry_keeps_a_deactivated_participant(staff, kommun_a):
    active, former = ContactFactory(kommun=kommun_a, name="Aktiv"), ContactFactory(kommun=kommun_a, name="Tidigare")
    entry = DialogEntryFactory(kommuner=[kommun_a])
    entry.contacts.add(active, former)
    retirement.contact_set_active(contact=former, active=False)
    url = reverse("overview:dialog:edit", args=[entry.pk])
    form = client_for(staff).get(url).context["form"]

    assert former in form.fields["contacts"].queryset
    other = ContactFactory(kommun=kommun_a, is_active=False, name="Någon annan")
    assert other not in form.fields["contacts"].queryset


# --- Users ---------------------------------------------------------------------------------------


def test_a_user_who_answered_is_deactivated_not_deleted(kommun_a):
    user = UserFactory(kommun=kommun_a, role=User.Role.KOMMUN)
    answer = _answer_naming(ContactFactory(kommun=kommun_a), by=user)

    assert retirement.user_remove(user=user) == retirement.Removal.DEACTIVATED

    user.refresh_from_db()
    answer.refresh_from_db()
    assert user.is_active is False
    assert answer.answered_by == user


def test_a_user_who_only_wrote_history_is_deactivated(kommun_a):
    user = UserFactory(kommun=kommun_a, role=User.Role.KOMMUN)
    contact = ContactFactory(kommun=kommun_a)
    contact._history_user = user
    contact.phone = "08-1"
    contact.save()

    assert retirement.user_remove(user=user) == retirement.Removal.DEACTIVATED


def test_a_user_nothing_names_is_deleted(kommun_a):
    user = UserFactory(kommun=kommun_a, role=User.Role.KOMMUN)
    assert retirement.user_remove(user=user) == retirement.Removal.DELETED
    assert not User.objects.filter(pk=user.pk).exists()


def test_the_admin_refuses_to_delete_a_named_user_and_says_why(admin_user, kommun_a):
    user = UserFactory(kommun=kommun_a, role=User.Role.KOMMUN, email="pia@flen.se")
    _answer_naming(ContactFactory(kommun=kommun_a), by=user)
    client = client_for(admin_user)
    url = reverse("admin:members_user_delete", args=[user.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert page.context["protected"]
    assert str(user) in " ".join(str(p) for p in page.context["protected"])
    client.post(url, {"post": "yes"})
    assert User.objects.filter(pk=user.pk).exists()


# --- Erasure: a named placeholder in answers and history ----------------------------------------


def test_erasing_a_contact_leaves_the_placeholder_in_answers_entries_and_history(staff, kommun_a):
    contact = ContactFactory(kommun=kommun_a, name="Sara Berg", email="sara@flen.se", phone="070-1")
    answer = _answer_naming(contact)
    entry = DialogEntryFactory(kommuner=[kommun_a])
    entry.contacts.add(contact)
    versions_before = answer.history.count()

    erased_pk = contact.pk
    placeholder = retirement.contact_erase(contact=contact)

    answer.refresh_from_db()
    assert answer.contact == placeholder
    assert (placeholder.name, placeholder.is_active, placeholder.is_placeholder) == ("Borttagen kontakt", False, True)
    assert answer.history.count() == versions_before + 1
    assert answer.history.first().history_change_reason == retirement.ERASED_REASON
    assert erased_pk not in set(answer.history.values_list("contact_id", flat=True))
    assert answer.history.filter(contact_id=placeholder.pk).count() == versions_before  # every version that named her
    assert list(DialogEntry.objects.get(pk=entry.pk).contacts.all()) == [placeholder]
    # Nothing of the person is left: not the row, not any version of it.
    assert not Contact.objects.filter(pk=erased_pk).exists()
    assert not Contact.history.filter(id=erased_pk).exists()
    assert not Contact.history.filter(email="sara@flen.se").exists()
    # The placeholder is no former contact to bring back.
    page = client_for(staff).get(kommun_a.get_absolute_url())
    assert page.context["sections"]["former_contacts"] == []


def test_erasing_a_user_leaves_the_placeholder_as_who_answered_and_who_changed(kommun_a):
    user = UserFactory(kommun=kommun_a, role=User.Role.KOMMUN, email="pia@flen.se", first_name="Pia")
    answer = _answer_naming(ContactFactory(kommun=kommun_a), by=user)
    contact = ContactFactory(kommun=kommun_a)
    contact._history_user = user
    contact.phone = "08-2"
    contact.save()

    erased_pk = user.pk
    placeholder = retirement.user_erase(user=user)

    answer.refresh_from_db()
    assert answer.answered_by == placeholder
    assert str(placeholder) == "Borttagen användare"
    assert contact.history.first().history_user == placeholder
    assert not User.objects.filter(pk=erased_pk).exists()
    assert not User.history.filter(email="pia@flen.se").exists()
    assert placeholder.is_active is False and not placeholder.has_usable_password()
    assert retirement.placeholder_user() == placeholder  # one, whatever the number of erasures
