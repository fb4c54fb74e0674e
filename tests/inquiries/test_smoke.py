import pytest
from django.urls import reverse

from ..conftest import client_for
from .conftest import INVESTOR

pytestmark = pytest.mark.django_db


def test_pages_render(staff, user_a, sent):
    inquiry = sent["inquiry"]
    for url in [
        reverse("inquiries:index"),
        inquiry.get_absolute_url(),
        reverse("inquiries:create"),
        reverse("inquiries:edit", args=[inquiry.pk]),
        reverse("inquiries:insight"),
        sent["a"].get_absolute_url(),
        reverse("inquiries:outcome", args=[inquiry.pk]),
    ]:
        r = client_for(staff).get(url)
        assert r.status_code == 200, url
    for url in [
        reverse("inquiries:index"),
        sent["a"].get_absolute_url(),
        reverse("inquiries:insight"),
        reverse("members:kommun_detail", args=[user_a.kommun.code]),
    ]:
        r = client_for(user_a).get(url)
        assert r.status_code == 200, url
        assert INVESTOR.encode() not in r.content
