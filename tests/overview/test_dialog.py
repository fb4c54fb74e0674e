"""Dialog log: staff record contacts; a kommun user sees its own meetings, never internal notes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Contact, Kommun
from overview.dialog import selectors
from overview.models import DialogEntry, DialogKind, FollowUp
from tests.conftest import client_for
from tests.factories import ContactFactory, DialogEntryFactory, FollowUpFactory

pytestmark = pytest.mark.django_db

SECRET = "INTERNAL-MARKER-7f3a"


@pytest.fixture
def entries(kommun_a, kommun_b):
    network = Kommun.objects.members().exclude(pk__in=[kommun_a.pk, kommun_b.pk])[:5]
    return {
        "a": DialogEntryFactory(title="Möte med Flen", kommuner=[kommun_a], internal_notes=SECRET),
        "b": DialogEntryFactory(title="Möte med Värmdö", kommuner=[kommun_b], internal_notes=SECRET),
        "network": DialogEntryFactory(
            kind=DialogKind.BUSINESS_CHIEFS,
            title="Näringslivschefsnätverket",
            kommuner=[kommun_a, kommun_b, *network],
            internal_notes=SECRET,
        ),
    }


def test_kommun_user_sees_only_meetings_of_their_kommun(entries, user_a):
    response = client_for(user_a).get(reverse("overview:dialog:list"))
    shown = {e.pk for e in response.context["page"].object_list}
    assert shown == {entries["a"].pk, entries["network"].pk}
    assert "Möte med Värmdö" not in response.content.decode()


def test_other_kommuns_entry_is_404(entries, user_a, user_outside):
    assert client_for(user_a).get(entries["b"].get_absolute_url()).status_code == 404
    assert client_for(user_outside).get(entries["network"].get_absolute_url()).status_code == 404


def test_internal_notes_never_reach_a_kommun_user(entries, user_a, kommun_a):
    client = client_for(user_a)
    pages = [
        reverse("overview:dialog:list"),
        entries["a"].get_absolute_url(),
        entries["network"].get_absolute_url(),
        reverse("overview:reports:kommun", args=[kommun_a.code]),
        reverse("overview:reports:kommun", args=[kommun_a.code]) + f"?period=year-{timezone.localdate().year}",
        reverse("members:my_kommun"),
        reverse("overview:maturity:kommun", args=[kommun_a.code]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url
    # The shared notes are there.
    assert "Delade anteckningar" in client.get(entries["a"].get_absolute_url()).content.decode()


def test_staff_see_internal_notes(entries, staff):
    assert SECRET in client_for(staff).get(entries["a"].get_absolute_url()).content.decode()


def test_kommun_user_sees_only_own_participants_of_a_network_meeting(entries, kommun_a, kommun_b, user_a):
    mine = ContactFactory(kommun=kommun_a, name="Anna Flen")
    theirs = ContactFactory(kommun=kommun_b, name="Bertil Värmdö")
    entries["network"].contacts.set([mine, theirs])
    content = client_for(user_a).get(entries["network"].get_absolute_url()).content.decode()
    assert "Anna Flen" in content and "Bertil Värmdö" not in content


def test_staff_record_a_contact(staff, kommun_a):
    contact = ContactFactory(kommun=kommun_a, role=Contact.Role.NARINGSLIVSCHEF)
    response = client_for(staff).post(
        reverse("overview:dialog:create"),
        {
            "kind": DialogKind.VISIT,
            "date": "2026-03-04",
            "title": "Besök i Flen",
            "kommuner": [kommun_a.pk],
            "contacts": [contact.pk],
            "staff": [staff.pk],
            "notes": "Vi såg på tomterna.",
            "internal_notes": "Kommunen är missnöjd.",
        },
    )
    assert response.status_code == 302
    entry = DialogEntry.objects.get()
    assert entry.kind == DialogKind.VISIT and entry.created_by == staff
    assert list(entry.kommuner.all()) == [kommun_a] and list(entry.contacts.all()) == [contact]
    assert entry.history.count() >= 1


def test_contact_of_a_kommun_not_chosen_is_refused(staff, kommun_a, kommun_b):
    outsider = ContactFactory(kommun=kommun_b, name="Fel Person")
    response = client_for(staff).post(
        reverse("overview:dialog:create"),
        {
            "kind": DialogKind.CALL,
            "date": "2026-03-04",
            "title": "Samtal",
            "kommuner": [kommun_a.pk],
            "contacts": [outsider.pk],
        },
    )
    assert response.status_code == 200
    assert "Fel Person" in response.context["form"].errors["contacts"][0]
    assert not DialogEntry.objects.exists()


def test_no_kommun_chosen_is_refused(staff):
    response = client_for(staff).post(
        reverse("overview:dialog:create"), {"kind": DialogKind.CALL, "date": "2026-03-04", "title": "Samtal"}
    )
    assert response.status_code == 200
    assert "Välj minst en kommun." in response.content.decode()
    assert not DialogEntry.objects.exists()


def test_kommun_user_cannot_record_or_edit(entries, user_a, kommun_a):
    client = client_for(user_a)
    assert client.get(reverse("overview:dialog:create")).status_code == 404
    response = client.post(
        reverse("overview:dialog:edit", args=[entries["a"].pk]),
        {"kind": DialogKind.CALL, "date": "2026-03-04", "title": "Ändrad", "kommuner": [kommun_a.pk]},
    )
    assert response.status_code == 404
    entries["a"].refresh_from_db()
    assert entries["a"].title == "Möte med Flen"


def test_follow_up_add_and_done(entries, staff):
    client = client_for(staff)
    url = reverse("overview:dialog:follow_up_add", args=[entries["a"].pk])
    assert client.post(url, {"text": "Skicka underlag", "owner": staff.pk, "due_on": "2026-12-01"}).status_code == 302
    follow_up = FollowUp.objects.get()
    assert follow_up.owner == staff and not follow_up.is_done
    client.post(reverse("overview:dialog:follow_up_done", args=[follow_up.pk]), {"done": "1"})
    follow_up.refresh_from_db()
    assert follow_up.is_done
    assert follow_up.history.count() == 2


def test_follow_up_without_due_date_is_refused(entries, staff):
    response = client_for(staff).post(
        reverse("overview:dialog:follow_up_add", args=[entries["a"].pk]),
        {"text": "Skicka underlag", "owner": staff.pk},
        follow=True,
    )
    assert "Uppföljningen lades inte till" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_follow_up_done_refuses_an_outside_redirect(entries, staff):
    follow_up = FollowUpFactory(entry=entries["a"], owner=staff)
    response = client_for(staff).post(
        reverse("overview:dialog:follow_up_done", args=[follow_up.pk]), {"done": "1", "next": "//evil.example/"}
    )
    assert response["Location"] == entries["a"].get_absolute_url()


def test_members_sorted_by_days_since_last_contact_and_visit(kommun_a, kommun_b):
    today = timezone.localdate()
    DialogEntryFactory(kind=DialogKind.CALL, date=today - datetime.timedelta(days=5), kommuner=[kommun_a])
    DialogEntryFactory(kind=DialogKind.VISIT, date=today - datetime.timedelta(days=200), kommuner=[kommun_a])
    DialogEntryFactory(kind=DialogKind.VISIT, date=today - datetime.timedelta(days=30), kommuner=[kommun_b])
    by_contact = list(selectors.members_by_contact())
    codes = [k.code for k in by_contact]
    # Never contacted first, then the longest ago: Värmdö (30 days) before Flen (5 days).
    assert codes.index("0120") < codes.index("0482") and codes[-1] == "0482"
    assert by_contact[0].last_contact is None
    flen = next(k for k in by_contact if k.code == "0482")
    assert flen.last_contact == today - datetime.timedelta(days=5)
    assert flen.last_visit == today - datetime.timedelta(days=200)
    by_visit = [k.code for k in selectors.members_by_contact(order="visit")]
    assert by_visit.index("0482") < by_visit.index("0120") and by_visit[-1] == "0120"


def test_members_without_contact_for_90_days(kommun_a, kommun_b):
    today = timezone.localdate()
    DialogEntryFactory(date=today - datetime.timedelta(days=10), kommuner=[kommun_a])
    DialogEntryFactory(date=today - datetime.timedelta(days=120), kommuner=[kommun_b])
    without = {k.code for k in selectors.members_without_contact()}
    assert "0120" in without and "0482" not in without
    assert len(without) == Kommun.objects.members().count() - 1


def _many_entries(kommun_a, kommun_b, n, owner):
    for i in range(n):
        entry = DialogEntryFactory(kommuner=[kommun_a, kommun_b], internal_notes=SECRET)
        FollowUpFactory(entry=entry, owner=owner, due_on=timezone.localdate())
        if i % 2:
            DialogEntryFactory(kind=DialogKind.VISIT, kommuner=[kommun_b])


@pytest.mark.parametrize("url_name", ["overview:dialog:list", "overview:dialog:contacts", "overview:dialog:follow_ups"])
def test_dialog_pages_keep_a_fixed_number_of_queries(
    staff, kommun_a, kommun_b, url_name, django_assert_max_num_queries
):
    client = client_for(staff)
    url = reverse(url_name)
    _many_entries(kommun_a, kommun_b, 1, staff)
    client.get(url)
    # session, user, session save; then the page: count, rows, kommuner (prefetch) — or one
    # annotated query of members — and the filter's kommun choices: at most 9 whatever the rows.
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200
    _many_entries(kommun_a, kommun_b, 30, staff)
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200


def test_kommun_dialog_list_keeps_a_fixed_number_of_queries(
    user_a, staff, kommun_a, kommun_b, django_assert_max_num_queries
):
    client = client_for(user_a)
    url = reverse("overview:dialog:list")
    _many_entries(kommun_a, kommun_b, 1, staff)
    client.get(url)
    # session, user, count, page of entries, their kommuner, session save (+ a savepoint pair).
    with django_assert_max_num_queries(8):
        client.get(url)
    _many_entries(kommun_a, kommun_b, 30, staff)
    with django_assert_max_num_queries(8):
        client.get(url)
