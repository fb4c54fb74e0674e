"""Goda exempel: written by a kommun for itself or by staff, visible to the others only after
review, searchable, linked from the NKI area page and the maturity next steps (issue 16)."""

import pytest
from django.urls import reverse

from members.models import Contact
from nki.models import ServiceArea
from overview.knowledge import services
from overview.models import GoodExample, MaturityCriterion

from ..conftest import client_for
from ..factories import ContactFactory

pytestmark = pytest.mark.django_db


def post_example(client, **extra):
    data = {"title": "Bygglovslots", "what": "En lots per företag.", "result": "NKI +9.", "theme": "Lots"}
    data.update(extra)
    return client.post(reverse("overview:knowledge:create"), data)


def test_a_kommun_users_example_is_visible_to_others_only_after_review(user_a, user_b, staff, kommun_a):
    response = post_example(client_for(user_a))
    example = GoodExample.objects.get()
    assert response.status_code == 302 and example.kommun == kommun_a
    assert example.status == GoodExample.Status.SUBMITTED and example.created_by == user_a

    assert client_for(user_a).get(example.get_absolute_url()).status_code == 200
    assert client_for(user_b).get(example.get_absolute_url()).status_code == 404
    assert "Bygglovslots" not in client_for(user_b).get(reverse("overview:knowledge:list")).content.decode()

    # Only staff review: a kommun user's review is refused.
    assert (
        client_for(user_a)
        .post(reverse("overview:knowledge:review", args=[example.pk]), {"decision": "publish"})
        .status_code
        == 404
    )
    client_for(staff).post(reverse("overview:knowledge:review", args=[example.pk]), {"decision": "publish"})
    example.refresh_from_db()
    assert example.is_published and example.reviewed_by == staff
    assert client_for(user_b).get(example.get_absolute_url()).status_code == 200
    assert "Bygglovslots" in client_for(user_b).get(reverse("overview:knowledge:list")).content.decode()


def test_a_change_by_the_kommun_sends_it_back_to_review(user_a, staff, kommun_a):
    example = GoodExample.objects.create(kommun=kommun_a, title="T", what="W", result="R", status="published")
    client_for(user_a).post(
        reverse("overview:knowledge:edit", args=[example.pk]), {"title": "T2", "what": "W", "result": "R"}
    )
    example.refresh_from_db()
    assert example.title == "T2" and example.status == GoodExample.Status.SUBMITTED


def test_a_kommun_user_writes_only_for_their_own_kommun(user_a, user_b, kommun_a, kommun_b):
    post_example(client_for(user_a), kommun=kommun_b.pk)
    assert GoodExample.objects.get().kommun == kommun_a
    other = GoodExample.objects.create(kommun=kommun_b, title="B", what="W", result="R")
    assert client_for(user_a).get(reverse("overview:knowledge:edit", args=[other.pk])).status_code == 404


def test_a_contact_of_another_kommun_is_refused_with_a_message(user_a, kommun_b):
    stranger = ContactFactory(kommun=kommun_b, role=Contact.Role.NARINGSLIVSCHEF)
    response = post_example(client_for(user_a), contact=stranger.pk)
    assert response.status_code == 200
    assert not GoodExample.objects.exists()


def test_search_by_text_area_and_criterion(user_b, kommun_a, staff):
    bygglov = ServiceArea.objects.get(code="bygglov")
    criterion = MaturityCriterion.objects.exclude(level="neutral").first()
    a = GoodExample.objects.create(kommun=kommun_a, title="Lots för bygglov", what="W", result="R", status="published")
    a.areas.add(bygglov)
    b = GoodExample.objects.create(kommun=kommun_a, title="Frukostmöten", what="W", result="R", status="published")
    b.criteria.add(criterion)
    client = client_for(user_b)
    url = reverse("overview:knowledge:list")
    assert "Frukostmöten" in client.get(url + "?q=frukost").content.decode()
    assert "Lots för bygglov" not in client.get(url + "?q=frukost").content.decode()
    page = client.get(url + "?area=bygglov").content.decode()
    assert "Lots för bygglov" in page and "Frukostmöten" not in page
    page = client.get(url + f"?criterion={criterion.pk}").content.decode()
    assert "Frukostmöten" in page and "Lots för bygglov" not in page


def test_the_list_takes_a_fixed_number_of_queries(user_b, kommun_a, django_assert_max_num_queries):
    bygglov = ServiceArea.objects.get(code="bygglov")

    def make(n):
        for i in range(n):
            e = GoodExample.objects.create(kommun=kommun_a, title=f"E{i}", what="W", result="R", status="published")
            e.areas.add(bygglov)

    make(2)
    client = client_for(user_b)
    # Session, count, page (with kommun and contact), areas, criteria.
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("overview:knowledge:list"))
    make(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("overview:knowledge:list"))


def test_linked_from_the_nki_area_page_and_the_maturity_next_steps(user_a, kommun_a):
    from decimal import Decimal

    from nki.models import NkiResult

    NkiResult.objects.create(
        kommun=kommun_a, year=2023, area=ServiceArea.objects.get(code="bygglov"), nki=Decimal("64"), answers=30
    )
    page = client_for(user_a).get(reverse("nki:area", args=["bygglov"])).content.decode()
    assert reverse("overview:knowledge:list") + "?area=bygglov" in page
    page = client_for(user_a).get(reverse("overview:maturity:kommun", args=[kommun_a.code])).content.decode()
    assert "Kommuner som klarat detta" in page


def test_published_examples_count_in_the_member_value_report(user_a, kommun_a, staff):
    example = GoodExample.objects.create(kommun=kommun_a, title="Delat exempel", what="W", result="R")
    services.example_review(example=example, by=staff, publish=True)
    body = client_for(user_a).get(reverse("overview:reports:kommun", args=[kommun_a.code])).content.decode()
    assert "Delat exempel" in body


def test_a_review_without_a_decision_changes_nothing(staff, kommun_a):
    example = GoodExample.objects.create(kommun=kommun_a, title="T", what="W", result="R")
    response = client_for(staff).post(
        reverse("overview:knowledge:review", args=[example.pk]), {"decision": "x"}, follow=True
    )
    assert "Välj att publicera" in response.content.decode()
    example.refresh_from_db()
    assert example.status == GoodExample.Status.SUBMITTED


# --- Groups --------------------------------------------------------------------------------------


def test_a_group_meeting_is_in_the_dialog_log_of_each_participating_kommun(staff, user_a, user_b, kommun_a, kommun_b):
    from overview.models import DialogEntry, ExchangeGroup

    client = client_for(staff)
    client.post(
        reverse("overview:knowledge:group_create"),
        {"name": "Lokal NKI-grupp", "kind": "local_nki", "kommuner": [kommun_a.pk], "is_active": "on"},
    )
    group = ExchangeGroup.objects.get()
    client.post(
        reverse("overview:knowledge:group_meeting_add", args=[group.pk]), {"date": "2026-10-08", "title": "Gruppmöte"}
    )
    entry = DialogEntry.objects.get(group=group)
    assert list(entry.kommuner.all()) == [kommun_a]
    assert "Gruppmöte" in client_for(user_a).get(reverse("overview:dialog:list")).content.decode()
    assert "Gruppmöte" not in client_for(user_b).get(reverse("overview:dialog:list")).content.decode()
    # Everyone sees who is in the group; only its kommuner see its meetings.
    assert "Gruppmöte" in client_for(user_a).get(group.get_absolute_url()).content.decode()
    other = client_for(user_b).get(group.get_absolute_url()).content.decode()
    assert "Flen" in other and "Gruppmöte" not in other
    report = client_for(user_a).get(reverse("overview:reports:kommun", args=[kommun_a.code]) + "?period=year-2026")
    assert "Lokal NKI-grupp" in report.content.decode()


def test_a_meeting_without_a_date_is_refused_with_a_message(staff, kommun_a):
    from overview.models import DialogEntry, ExchangeGroup

    group = ExchangeGroup.objects.create(name="G")
    group.kommuner.add(kommun_a)
    response = client_for(staff).post(
        reverse("overview:knowledge:group_meeting_add", args=[group.pk]), {"title": "Möte"}, follow=True
    )
    assert "Mötet registrerades inte" in response.content.decode()
    assert not DialogEntry.objects.exists()


def test_only_staff_build_groups(user_a):
    client = client_for(user_a)
    assert client.get(reverse("overview:knowledge:group_create")).status_code == 404
    assert client.get(reverse("overview:knowledge:group_list")).status_code == 200
