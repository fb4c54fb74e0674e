"""Overview access beyond the crawler (tests/test_access_crawler.py, every URL as every persona):
redirects to one's own kommun, refused writes change nothing, unknown objects are 404."""

import pytest
from django.urls import reverse

from overview.maturity.services import assessment_submit
from overview.models import Track
from tests.conftest import client_for

from ..factories import DialogEntryFactory, FollowUpFactory
from .conftest import answer_set

pytestmark = pytest.mark.django_db

LOGIN = "/konto/login/"
SECRET = "INTERNAL-ONLY-c0ffee"


@pytest.fixture
def objects(kommun_a, user_a, staff):
    assessment = assessment_submit(kommun=kommun_a, track=Track.NKI, answers=answer_set(Track.NKI), user=user_a)
    entry = DialogEntryFactory(kommuner=[kommun_a], internal_notes=SECRET, title="Flens möte")
    follow_up = FollowUpFactory(entry=entry, owner=staff)
    return {"assessment": assessment, "entry": entry, "follow_up": follow_up}


def test_pages_that_send_kommun_users_to_their_own(personas, kommun_a, kommun_b):
    for url_name in ("overview:maturity:region", "overview:reports:index"):
        url = reverse(url_name)
        assert client_for(personas["staff"]).get(url).status_code == 200
        assert client_for(None).get(url)["Location"].startswith(LOGIN)
        assert kommun_a.code in client_for(personas["user_a"]).get(url)["Location"]
        assert kommun_b.code in client_for(personas["user_b"]).get(url)["Location"]


def test_posts_are_refused_to_everybody_but_staff(personas, objects):
    posts = [
        reverse("overview:maturity:assessment_confirm", args=[objects["assessment"].pk]),
        reverse("overview:dialog:follow_up_done", args=[objects["follow_up"].pk]),
        reverse("overview:dialog:follow_up_add", args=[objects["entry"].pk]),
    ]
    for persona in ("user_a", "user_b", "user_outside"):
        for url in posts:
            assert client_for(personas[persona]).post(url, {"done": "1"}).status_code == 404, (persona, url)
    objects["assessment"].refresh_from_db()
    objects["follow_up"].refresh_from_db()
    assert not objects["assessment"].is_confirmed and not objects["follow_up"].is_done
    assert objects["entry"].follow_ups.count() == 1


def test_unknown_objects_are_404(staff):
    client = client_for(staff)
    assert client.get(reverse("overview:maturity:kommun", args=["9999"])).status_code == 404
    assert client.get(reverse("overview:maturity:assessment", args=[999999])).status_code == 404
    assert client.get(reverse("overview:dialog:detail", args=[999999])).status_code == 404
    assert client.get(reverse("overview:reports:kommun", args=["9999"])).status_code == 404
