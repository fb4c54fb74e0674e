"""Delivery log and re-send (staff), notification settings (signed in), unsubscribe (anyone with the link)."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from outbox import services
from outbox.models import Message, Unsubscribe

from ..conftest import client_for
from .conftest import queue

pytestmark = pytest.mark.django_db

LOGIN = "/konto/login/"


@pytest.fixture
def failed_message():
    message = queue(to="secret-recipient@flen.example")
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.FAILED, attempts=3, last_error="SMTPServerDisconnected: refused"
    )
    return message


def test_log_and_resend_for_every_persona(personas, failed_message):
    urls = [reverse("outbox:log")]
    for url in urls:
        for persona, user in personas.items():
            response = client_for(user).get(url)
            if persona == "anonymous":
                assert response.status_code == 302 and response["Location"].startswith(LOGIN)
            elif persona in ("staff", "admin"):
                assert response.status_code == 200
                assert b"secret-recipient@flen.example" in response.content
                assert b"SMTPServerDisconnected" in response.content
            else:
                assert response.status_code == 404, persona
                assert b"secret-recipient" not in response.content
    resend = reverse("outbox:resend", args=[failed_message.pk])
    for persona in ("user_a", "user_b", "user_outside"):
        assert client_for(personas[persona]).post(resend).status_code == 404
    assert client_for(None).post(resend).status_code == 302
    assert client_for(personas["staff"]).get(resend).status_code == 405
    failed_message.refresh_from_db()
    assert failed_message.status == Message.Status.FAILED  # nobody but staff changed anything


def test_staff_sends_a_failed_email_again(staff, failed_message, django_capture_on_commit_callbacks):
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("outbox:resend", args=[failed_message.pk]), {"next": "/e-post/logg/?status=failed"}
        )
    assert response.status_code == 302 and response["Location"] == "/e-post/logg/?status=failed"
    failed_message.refresh_from_db()
    assert failed_message.status == Message.Status.SENT and failed_message.resent_by == staff
    assert [m.to for m in mail.outbox] == [["secret-recipient@flen.example"]]
    # Sending a sent one again is refused with a clear message, and nothing is sent.
    response = client.post(reverse("outbox:resend", args=[failed_message.pk]), follow=True)
    assert "Bara ett misslyckat e-postmeddelande kan skickas igen" in response.content.decode()
    assert len(mail.outbox) == 1


def test_resend_never_redirects_off_site(staff, failed_message):
    response = client_for(staff).post(
        reverse("outbox:resend", args=[failed_message.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("outbox:log")


def test_log_filters_by_status_and_kind(staff):
    queue(key="a", kind="kommun_weekly", to="one@flen.example")
    failed = queue(key="b", kind="staff_weekly", to="two@flen.example")
    Message.objects.filter(pk=failed.pk).update(status=Message.Status.FAILED)
    client = client_for(staff)
    content = client.get(reverse("outbox:log"), {"status": "failed"}).content.decode()
    assert "two@flen.example" in content and "one@flen.example" not in content
    content = client.get(reverse("outbox:log"), {"kind": "kommun_weekly"}).content.decode()
    assert "one@flen.example" in content and "two@flen.example" not in content
    # An unknown status is a form error, not a crash, and filters nothing away silently.
    assert client.get(reverse("outbox:log"), {"status": "bogus"}).status_code == 200


def test_log_query_count_is_constant(staff, django_assert_max_num_queries):
    client = client_for(staff)

    def render():
        # session, user, count, page of rows, status totals, kinds in the log (filter choices),
        # then the session saved (SESSION_SAVE_EVERY_REQUEST: savepoint, update, release)
        with django_assert_max_num_queries(9):
            assert client.get(reverse("outbox:log")).status_code == 200

    queue(key="first")
    render()
    for n in range(120):
        queue(key=f"many-{n}", to=f"r{n}@flen.example", kind="kommun_weekly" if n % 2 else "staff_weekly")
    render()


def test_log_in_english_and_swedish(staff):
    queue()
    client = client_for(staff)
    assert "Logg över skickad e-post" in client.get(reverse("outbox:log")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "E-mail delivery log" in client.get(reverse("outbox:log")).content.decode()


# --- Notification settings -----------------------------------------------------------------------


def test_settings_page_requires_sign_in():
    response = client_for(None).get(reverse("outbox:settings"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_kommun_user_chooses_kommun_kinds(user_a):
    client = client_for(user_a)
    content = client.get(reverse("outbox:settings")).content.decode()
    assert "Veckobrev till kommunen" in content
    assert "Veckobrev till Invest Stockholm" not in content  # a staff digest is not theirs to choose
    # Untick the weekly digest, keep the rest.
    kept = {"member_quarterly": "on", "deadline_daily": "on", "nki_weekly": "on"}
    response = client.post(reverse("outbox:settings"), kept)
    assert response.status_code == 302
    assert list(Unsubscribe.objects.values_list("email", "kind")) == [("nlc@flen.example", "kommun_weekly")]
    assert (
        services.queue_email(
            kind="kommun_weekly", key="2026-W48", to=user_a.email, template="testmail/hello", context={}, user=user_a
        )
        is None
    )
    # Tick it again.
    client.post(reverse("outbox:settings"), {"kommun_weekly": "on", **kept})
    assert not Unsubscribe.objects.exists()


def test_staff_sees_staff_kinds_in_english(staff):
    client = client_for(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(reverse("outbox:settings")).content.decode()
    assert "Weekly digest for Invest Stockholm" in content and "Weekly digest for the kommun" not in content


# --- Unsubscribe by signed link ------------------------------------------------------------------


def token(email="kso@flen.example", kind="member_quarterly"):
    return services.unsubscribe_token(email=email, kind=kind)


def test_unsubscribe_link_works_without_a_login():
    url = reverse("outbox:unsubscribe", args=[token()])
    client = client_for(None)
    page = client.get(url)
    # A GET (e.g. a link scanner) only asks; nothing changes until the button is pressed.
    assert page.status_code == 200 and "kso@flen.example" in page.content.decode()
    assert not Unsubscribe.objects.exists()
    done = client.post(url, {"action": "unsubscribe"})
    assert done.status_code == 200 and "får inte längre" in done.content.decode()
    assert list(Unsubscribe.objects.values_list("email", "kind", "source")) == [
        ("kso@flen.example", "member_quarterly", "link")
    ]
    client.post(url, {"action": "unsubscribe"})  # twice is harmless
    assert Unsubscribe.objects.count() == 1
    client.post(url, {"action": "resubscribe"})
    assert not Unsubscribe.objects.exists()


def test_one_click_unsubscribe_from_the_mail_client():
    # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" with no session and no CSRF token.
    client = client_for(None)
    client.handler.enforce_csrf_checks = True
    response = client.post(
        reverse("outbox:unsubscribe", args=[token()]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert services.is_unsubscribed(email="kso@flen.example", kind="member_quarterly")


def test_tampered_link_is_refused_and_changes_nothing():
    bad = token()[:-3] + "abc"
    client = client_for(None)
    response = client.post(reverse("outbox:unsubscribe", args=[bad]), {"action": "unsubscribe"})
    assert response.status_code == 404
    assert "Länken gäller inte" in response.content.decode()
    assert not Unsubscribe.objects.exists()
