"""Sign-in by e-mail, brute-force lockout, invitations, deactivation, password reset and change."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import User
from members.services import invitation_url
from members.tokens import invitation_token

from .conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def sign_in(client, email, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_sign_in_with_email_in_any_case(client, user_a):
    response = sign_in(client, "NLC@Flen.Example", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("members:my_kommun")).status_code == 200


def test_wrong_password_gives_a_clear_message_in_swedish(client, user_a):
    response = sign_in(client, user_a.email, "wrong")
    assert response.status_code == 200
    assert "Fel e-postadress, lösenord eller kod." in response.content.decode()


@pytest.mark.parametrize("address", ["ﷺ" * 50, "a" * 250 + "@flen.example"], ids=["expands-under-nfkc", "too-long"])
def test_an_address_longer_than_any_account_is_a_wrong_sign_in_not_an_error(client, user_a, address):
    # "ﷺ" is one character that NFKC (as Django reads a username) turns into eighteen.
    from axes.models import AccessAttempt

    response = sign_in(client, address, "wrong")
    assert response.status_code == 200
    assert "Fel e-postadress, lösenord eller kod." in response.content.decode()
    assert not AccessAttempt.objects.exists()  # no account has such an address: nothing to lock


def test_lockout_after_repeated_failures_for_that_user_and_address_only(client, user_a, user_b, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, user_a.email, "wrong", ip="10.0.0.1")

    locked = sign_in(client, user_a.email, PASSWORD, ip="10.0.0.1")
    assert locked.status_code == 429
    assert "För många misslyckade inloggningsförsök" in locked.content.decode()

    # A colleague behind the same office address still gets in …
    assert sign_in(client, user_b.email, PASSWORD, ip="10.0.0.1").status_code == 302
    # … and so does the same person from another address.
    assert sign_in(client_for(None), user_a.email, PASSWORD, ip="10.0.0.2").status_code == 302


def test_inactive_user_cannot_sign_in(client, user_a):
    user_a.is_active = False
    user_a.save()
    assert sign_in(client, user_a.email, PASSWORD).status_code == 200
    assert "_auth_user_id" not in client.session


def invite(client, **data):
    payload = {"email": "ny@flen.example", "role": "kommun", "kommun": "", "language": "sv", **data}
    return client.post(reverse("members:user_invite"), payload)


def invitation_link(message) -> str:
    return re.search(r"https?://\S+/inbjudan/\S+/", message.body).group(0)


def test_staff_invites_a_kommun_user_who_sets_a_password_once(staff, kommun_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_for(staff), kommun=kommun_a.pk, first_name="Nora")
    assert response.status_code == 302
    user = User.objects.get(email="ny@flen.example")
    assert (user.role, user.kommun, user.invited_by) == ("kommun", kommun_a, staff)
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ny@flen.example"]
    assert "Flen" in mail.outbox[0].body

    path = invitation_link(mail.outbox[0]).split("8000", 1)[-1]
    client = client_for(None)
    assert client.get(path).status_code == 200
    response = client.post(path, {"new_password1": "Sommar-i-Flen-2026", "new_password2": "Sommar-i-Flen-2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Sommar-i-Flen-2026")

    # Single use: the same link no longer works.
    assert client_for(None).get(path).status_code == 404


def test_invitation_link_expires(staff, kommun_a, settings):
    user = User.objects.create_user("late@flen.example", None, kommun=kommun_a, invited_at=timezone.now())
    user.set_unusable_password()
    user.save()
    token = invitation_token.make_token(user)
    settings.INVITATION_TIMEOUT = timezone.timedelta(seconds=-1)
    assert not invitation_token.check_token(user, token)


def test_reinvitation_voids_the_earlier_link(staff, kommun_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_for(staff), kommun=kommun_a.pk)
    user = User.objects.get(email="ny@flen.example")
    # As if the first invitation went out an hour ago (tokens have one-second resolution).
    user.invited_at = user.invited_at - timezone.timedelta(hours=1)
    user.save()
    first = invitation_url(user).split("8000", 1)[-1]
    assert client_for(None).get(first).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(reverse("members:user_reinvite", args=[user.pk]))
    second = invitation_link(mail.outbox[1]).split("8000", 1)[-1]
    assert client_for(None).get(first).status_code == 404
    assert client_for(None).get(second).status_code == 200


def test_invitation_bad_input_changes_nothing(staff, user_a):
    before = User.objects.count()
    response = invite(client_for(staff), kommun="")
    assert "Välj vilken kommun användaren tillhör." in response.content.decode()
    response = invite(client_for(staff), email=user_a.email.upper(), kommun=user_a.kommun_id)
    assert "Det finns redan en användare med den här e-postadressen." in response.content.decode()
    response = invite(client_for(staff), email="not-an-address")
    assert response.status_code == 200
    assert User.objects.count() == before
    assert mail.outbox == []


def test_garbage_invitation_links_are_404(client):
    assert client.get("/inbjudan/abc/def-ghi/").status_code == 404
    assert client.get("/inbjudan/MTIzNDU2/1-2/").status_code == 404


def test_only_staff_can_invite_or_deactivate(user_a, user_b):
    client = client_for(user_a)
    assert invite(client, kommun=user_a.kommun_id).status_code == 404
    assert client.post(reverse("members:user_set_active", args=[user_b.pk]), {"active": "0"}).status_code == 404
    user_b.refresh_from_db()
    assert user_b.is_active
    assert not User.objects.filter(email="ny@flen.example").exists()


def test_staff_deactivates_and_reactivates_a_user(staff, user_a):
    client = client_for(staff)
    client.post(reverse("members:user_set_active", args=[user_a.pk]), {"active": "0"})
    user_a.refresh_from_db()
    assert not user_a.is_active
    client.post(reverse("members:user_set_active", args=[user_a.pk]), {"active": "1"})
    user_a.refresh_from_db()
    assert user_a.is_active


def test_staff_cannot_deactivate_themselves(staff):
    client_for(staff).post(reverse("members:user_set_active", args=[staff.pk]), {"active": "0"})
    staff.refresh_from_db()
    assert staff.is_active


def test_password_reset_by_email(client, user_a, django_capture_on_commit_callbacks):
    from outbox.models import Message

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": user_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    # Through the outbox like every mail: logged, retried, never sent inside the request.
    assert Message.objects.get(kind="account_password_reset").to == user_a.email
    link = re.search(r"https?://\S+/konto/reset/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    response = client.get(path, follow=True)
    form_path = response.redirect_chain[-1][0]
    response = client.post(form_path, {"new_password1": "Nytt-Losen-2026!", "new_password2": "Nytt-Losen-2026!"})
    assert response.status_code == 302
    user_a.refresh_from_db()
    assert user_a.check_password("Nytt-Losen-2026!")


def test_password_reset_for_unknown_address_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@nowhere.example"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change(user_a):
    client = client_for(user_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Annat-Losen-2026!", "new_password2": "Annat-Losen-2026!"},
    )
    assert response.status_code == 302
    user_a.refresh_from_db()
    assert user_a.check_password("Annat-Losen-2026!")


def test_sign_out_needs_post(user_a):
    client = client_for(user_a)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_varying_the_case_of_the_address_gives_no_extra_attempts(client, user_a, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        email = user_a.email.upper() if i % 2 else user_a.email
        sign_in(client, email, "wrong", ip="10.0.0.9")
    assert sign_in(client, user_a.email.title(), PASSWORD, ip="10.0.0.9").status_code == 429


def test_session_ends_after_inactivity(user_a, settings):
    client = client_for(user_a)
    assert client.get(reverse("members:my_kommun")).status_code == 200
    session = client.session
    assert session.get_expiry_age() <= settings.SESSION_COOKIE_AGE
    # Simulate the idle time passing: the stored session expires.
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now())
    from django.core.cache import cache

    cache.clear()  # the session is read through the cache
    assert client.get(reverse("members:my_kommun")).status_code == 302


def test_password_reset_is_rate_limited_per_email_and_per_address(
    client, user_a, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 2
    settings.PASSWORD_RESET_LIMIT_PER_IP = 4
    for _ in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("password_reset"), {"email": user_a.email}, REMOTE_ADDR="10.1.1.1")
        assert response.status_code == 302  # the same answer every time: nothing is revealed
    assert len(mail.outbox) == 2
    response = client.post(reverse("password_reset"), {"email": "other@x.example"}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    assert "För många försök" in response.content.decode()


def test_behind_the_proxy_each_visitor_has_their_own_reset_limit(client, settings):
    """Behind the reverse proxy every request comes from the proxy's address: the limit must key on
    the visitor's address the proxy adds (members.access.client_address), or one visitor's limit
    would be everyone's."""
    settings.PASSWORD_RESET_LIMIT_PER_IP = 2
    settings.PROXY_COUNT = 1
    url = reverse("password_reset")

    def post(email, forwarded):
        return client.post(url, {"email": email}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)

    assert [post("a@x.example", "81.2.69.160").status_code for _ in range(3)] == [302, 302, 429]
    # Another visitor through the same proxy is not limited by the first one's requests …
    assert post("b@x.example", "81.2.69.199").status_code == 302
    # … and the first cannot escape the limit by writing a header of their own: the proxy appends.
    assert post("a@x.example", "6.6.6.6, 81.2.69.160").status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.2"),  # no proxy configured: the header is the client's, ignored
        (1, "81.2.69.160", "81.2.69.160"),
        (1, "6.6.6.6, 81.2.69.160", "81.2.69.160"),  # the client's own entry stands left: not trusted
        (2, "81.2.69.160, 10.0.0.3", "81.2.69.160"),
        (2, "81.2.69.160", "10.0.0.2"),  # shorter than the chain: it did not come through the proxies
        (1, "not-an-address", "10.0.0.2"),
        (1, "", "10.0.0.2"),
    ],
)
def test_client_address_trusts_only_the_proxies_in_front(settings, proxies, forwarded, expected):
    from django.test import RequestFactory

    from members.access import client_address

    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_the_sign_in_lockout_uses_the_same_address(settings):
    from axes.helpers import get_client_ip_address
    from django.test import RequestFactory

    settings.PROXY_COUNT = 1
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 81.2.69.160")
    assert get_client_ip_address(request) == "81.2.69.160"


def test_behind_proxy_alone_trusts_one_proxy(monkeypatch):
    import importlib

    import sba_portal.settings as project_settings

    monkeypatch.setenv("BEHIND_PROXY", "true")
    monkeypatch.delenv("PROXY_COUNT", raising=False)
    try:
        assert importlib.reload(project_settings).PROXY_COUNT == 1
        monkeypatch.setenv("PROXY_COUNT", "2")
        assert importlib.reload(project_settings).PROXY_COUNT == 2
        monkeypatch.setenv("BEHIND_PROXY", "false")
        monkeypatch.delenv("PROXY_COUNT")
        assert importlib.reload(project_settings).PROXY_COUNT == 0
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)


def test_behind_the_proxy_a_spoofed_header_neither_bypasses_nor_spreads_the_lockout(user_a, staff, settings):
    """Each wrong password with an invented X-Forwarded-For entry still counts against the visitor's
    real address (the proxy appends it); another visitor through the same proxy signs in."""
    settings.PROXY_COUNT = 1
    attacker = Client(REMOTE_ADDR="10.0.0.2")
    for n in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(
            reverse("login"),
            {"username": user_a.email, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 81.2.69.160",
        )
    blocked = attacker.post(
        reverse("login"), {"username": user_a.email, "password": PASSWORD}, HTTP_X_FORWARDED_FOR="81.2.69.160"
    )
    assert blocked.status_code == 429
    # The account is not locked for the kommun's real user elsewhere, nor for anyone else.
    colleague = Client(REMOTE_ADDR="10.0.0.2")
    ok = colleague.post(
        reverse("login"), {"username": user_a.email, "password": PASSWORD}, HTTP_X_FORWARDED_FOR="81.2.69.10"
    )
    assert ok.status_code == 302


def test_reset_and_invitation_survive_an_smtp_outage(client, user_a, staff, kommun_a, settings):
    """With SMTP down the request still answers, and the mail waits in the outbox to be retried."""
    from members import services
    from outbox.models import Message

    settings.EMAIL_BACKEND = "tests.outbox.backends.FailingBackend"
    response = client.post(reverse("password_reset"), {"email": user_a.email})
    assert response.status_code == 302
    invited = services.user_invite(invited_by=staff, email="ny@flen.example", role="kommun", kommun=kommun_a)
    assert set(Message.objects.values_list("kind", "to")) == {
        ("account_password_reset", user_a.email),
        ("account_invitation", invited.email),
    }
    assert all(m.sent_at is None for m in Message.objects.all())
