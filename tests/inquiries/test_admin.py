"""Django admin: every model of the portal is there, inquiries included (read-only, with the way
to the portal page), every section named in Swedish; admin stays admin-only."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from inquiries.models import Answer, Dispatch, Inquiry, Outcome

from ..conftest import client_for

pytestmark = pytest.mark.django_db

PORTAL_APPS = ("members", "outbox", "inquiries", "nki", "overview", "digests")


@pytest.fixture
def decided(sent, kommun_a):
    answer = Answer.objects.create(dispatch=sent["a"], decision=Answer.Decision.INTERESTED, offer="Tomt vid E20")
    outcome = Outcome.objects.create(inquiry=sent["inquiry"], decision=Outcome.Decision.ESTABLISHED, kommun=kommun_a)
    return {**sent, "answer": answer, "outcome": outcome}


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_every_portal_model_is_in_admin():
    missing = [
        model._meta.label
        for app in PORTAL_APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical") and model not in admin.site._registry
    ]
    assert missing == []


def test_admin_index_lists_the_inquiries_and_names_every_section_in_swedish(admin_user):
    response = client_for(admin_user).get(reverse("admin:index"))
    assert response.status_code == 200
    sections = {app["app_label"]: app for app in response.context["app_list"]}
    inquiries = {str(m["name"]) for m in sections["inquiries"]["models"]}
    assert {"Förfrågningar", "Utskick", "Svar", "Utfall", "Bilagor"} <= inquiries
    assert str(sections["inquiries"]["name"]) == "Förfrågningar"
    page = text_of(response)
    for swedish in (
        "Inloggningsförsök och spärrar",
        "Tvåstegsinloggning",
        "Autentiseringsappar",
        "Schemalagda uppgifter",
        "Periodiska uppgifter",
        "Grupper",  # Django's own Swedish
    ):
        assert swedish in page, swedish
    for english in ("Axes", "Otp_Totp", "TOTP devices", "Periodic Tasks", "Access attempts", "Periodic tasks"):
        assert english not in page, english


def test_inquiry_models_are_read_only_with_a_link_to_the_portal(admin_user, decided):
    client = client_for(admin_user)
    inquiry, dispatch = decided["inquiry"], decided["a"]
    expected = {
        Inquiry: (inquiry, inquiry.get_absolute_url()),
        Dispatch: (dispatch, dispatch.get_absolute_url()),
        Answer: (decided["answer"], dispatch.get_absolute_url()),
        Outcome: (decided["outcome"], inquiry.get_absolute_url()),
    }
    for model, (obj, portal_url) in expected.items():
        name = f"admin:inquiries_{model._meta.model_name}"
        changelist = client.get(reverse(f"{name}_changelist"))
        assert changelist.status_code == 200
        assert f'href="{portal_url}"' in changelist.content.decode()
        assert reverse(f"{name}_add") not in changelist.content.decode()  # no "add" button
        assert client.get(reverse(f"{name}_add")).status_code == 403
        change = client.get(reverse(f"{name}_change", args=[obj.pk]))
        assert change.status_code == 200
        body = change.content.decode()
        assert f'href="{portal_url}"' in body and "Öppna i portalen" in body
        assert 'name="_save"' not in body  # view only
        before = model.objects.filter(pk=obj.pk).values().get()
        client.post(reverse(f"{name}_change", args=[obj.pk]), {"notes": "changed", "offer": "changed"})
        assert model.objects.filter(pk=obj.pk).values().get() == before


def test_inquiry_admin_stays_admin_only(personas, decided):
    urls = [
        reverse("admin:index"),
        reverse("admin:inquiries_inquiry_changelist"),
        reverse("admin:inquiries_inquiry_change", args=[decided["inquiry"].pk]),
    ]
    for persona, user in personas.items():
        for url in urls:
            response = client_for(user).get(url)
            if persona == "admin":
                assert response.status_code == 200, url
            else:
                assert response.status_code == 302 and "/admin/login/" in response["Location"], (persona, url)
