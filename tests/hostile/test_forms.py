"""Every form of the portal, posted with arbitrary and malformed data by the people entitled to it.

Never a server error; and when the answer is not a redirect (the form is shown again with its
errors, or an import is refused) nothing in the database has changed. Pages with forms are found by
visiting every page as its entitled personas; FORM_VIEWS below must list exactly those, so a new
form page fails test_form_views_table_is_complete until it is added (and thereby fuzzed).
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from ..conftest import client_for
from . import strategies
from .conftest import HOSTILE, RULES, catalogue, changed, entitled, project_patterns, snapshot

pytestmark = pytest.mark.django_db

# Pages that show a form posting back to themselves.
FORM_VIEWS = {
    "login",
    "password_reset",
    "password_change",
    "members:contact_create",
    "members:contact_edit",
    "members:contact_delete",
    "members:membership_create",
    "members:membership_edit",
    "members:membership_delete",
    "members:population_create",
    "members:population_edit",
    "members:population_import",
    "members:period_create",
    "members:period_edit",
    "members:user_invite",
    "members:account",
    "members:two_factor_setup",
    "members:profile_edit",
    "members:site_create",
    "members:site_edit",
    "members:site_delete",
    "members:premises_create",
    "members:premises_edit",
    "members:premises_delete",
    "members:fact_create",
    "members:fact_edit",
    "members:fact_import",
    "inquiries:create",
    "inquiries:detail",
    "inquiries:edit",
    "inquiries:outcome",
    "inquiries:dispatch",
    "nki:import",
    "overview:maturity:assessment_create",
    "overview:dialog:create",
    "overview:dialog:edit",
    "overview:knowledge:create",
    "overview:knowledge:edit",
    "overview:knowledge:group_create",
    "overview:knowledge:group_edit",
    "surveys:create",
    "surveys:edit",
    "surveys:question_create",
    "surveys:question_edit",
    "surveys:answer",
    "overview:activities:create",
    "overview:activities:edit",
    "outbox:settings",
    "outbox:unsubscribe",
}
# Endpoints that only take a POST (buttons elsewhere post to them).
POST_ONLY = sorted(name for name, _route in project_patterns() if RULES[name].method == "POST")
# A 200 that is a success, not a refusal: the follow-up form answers htmx with the new row; any POST
# to an unsubscribe link unsubscribes (RFC 8058 one-click), and the page says so.
SUCCESS_200 = {"overview:dialog:follow_up_add", "outbox:unsubscribe"}


def test_form_views_table_is_complete(world, personas):
    found = catalogue(world, personas).self_posting
    assert found - FORM_VIEWS == set(), "pages with a form missing from FORM_VIEWS"
    assert FORM_VIEWS - found == set(), "FORM_VIEWS lists pages without a form"


BUTTON_EXAMPLES = 10  # a POST-only endpoint reads one or two fields at most: a smaller budget


def _fuzz(world, personas, name, max_examples):
    rule = RULES[name]
    found = catalogue(world, personas)
    fields = found.fields.get(name, set()) | set(rule.data(world))
    files = found.files.get(name, set())
    url = reverse(name, kwargs=rule.kwargs(world))
    users = entitled(rule) or ["staff"]

    signed_in = SignedIn(personas)

    @settings(HOSTILE, max_examples=max_examples)
    @given(persona=st.sampled_from(users), data=strategies.form_data(fields, files), urlencoded=st.booleans())
    def post(persona, data, urlencoded):
        client = signed_in.client(persona)
        # Nothing runs between two examples but a sign-in (a new client writes the user's
        # last_login): otherwise the state before this post is the one measured after the last.
        before = signed_in.last if signed_in.last is not None else snapshot()
        signed_in.last = None  # until this post has been measured (it may raise)
        if urlencoded and not files:  # as a plain HTML form sends it; otherwise multipart
            response = client.post(url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")
        else:
            response = client.post(url, data)
        signed_in.after(persona)
        after = signed_in.last = snapshot()
        assert response.status_code < 500
        if response.status_code not in (301, 302, 303) and name not in SUCCESS_200:
            assert changed(before, after) == [], f"{response.status_code} but data changed"

    post()


class SignedIn:
    """One signed-in client per persona for all of a test's examples (signing in costs a session
    write and the user's last_login, per example), replaced as soon as a post changed its session
    (signed out, signed in as someone else, password changed): each example starts as its persona."""

    def __init__(self, personas: dict):
        self.personas = personas
        self.clients: dict[str, tuple[Client, str | None]] = {}
        self.last: dict | None = None  # the snapshot after the last post, while nothing else wrote

    def client(self, persona: str) -> Client:
        if persona not in self.clients:
            self.last = None
            client = client_for(self.personas[persona])
            self.clients[persona] = (client, self._session(client))
        return self.clients[persona][0]

    def after(self, persona: str) -> None:
        client, session = self.clients[persona]
        if self._session(client) != session:
            del self.clients[persona]

    @staticmethod
    def _session(client: Client) -> str | None:
        cookie = client.cookies.get(django_settings.SESSION_COOKIE_NAME)
        return cookie.value if cookie is not None else None


@pytest.mark.parametrize("name", sorted(FORM_VIEWS))
def test_hostile_form_posts(world, personas, name):
    _fuzz(world, personas, name, HOSTILE.max_examples)


@pytest.mark.parametrize("name", POST_ONLY)
def test_hostile_button_posts(world, personas, name):
    _fuzz(world, personas, name, min(BUTTON_EXAMPLES, HOSTILE.max_examples))
