"""Optional two-step sign-in (TOTP) for staff and kommun users."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from members.two_factor import PENDING_KEY

from .conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db


def code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"


def turn_on(user) -> TOTPDevice:
    client = client_for(user)
    page = client.get(reverse("members:two_factor_setup"))
    assert page.status_code == 200
    assert re.search(r'src="data:image/svg\+xml;base64,', page.content.decode())
    # Showing the page writes nothing: the new secret waits in the session until confirmed.
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get(reverse("members:two_factor_setup")).context["secret"] == page.context["secret"]
    pending = TOTPDevice(user=user, key=client.session[PENDING_KEY])
    response = client.post(
        reverse("members:two_factor_setup"), {"token": "000000" if code(pending) != "000000" else "111111"}
    )
    assert "Koden är fel eller för gammal" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    client.post(reverse("members:two_factor_setup"), {"token": code(pending)})
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed
    assert device.key == pending.key
    assert PENDING_KEY not in client.session
    return device


@pytest.mark.parametrize(
    "token", ["¹²³⁴⁵⁶", "٣٣٣٣٣٣", "12 34 5x", "-12345"], ids=["superscript", "arabic-indic", "letter", "minus"]
)
def test_a_code_of_other_digits_is_a_wrong_code(staff, token):
    # str.isdigit() holds for superscripts and Arabic-Indic digits; the code is ASCII digits only.
    client = client_for(staff)
    client.get(reverse("members:two_factor_setup"))
    response = client.post(reverse("members:two_factor_setup"), {"token": token})
    assert response.status_code == 200
    assert "Koden är fel eller för gammal" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_staff_turns_on_two_step_and_then_needs_the_code(client, staff):
    device = turn_on(staff)
    response = client.post(reverse("login"), {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "tvåstegsinloggning" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 0  # a missing code is no guess

    device.refresh_from_db()
    response = client.post(
        reverse("login"), {"username": staff.email, "password": PASSWORD, "otp_token": code(device, offset=1)}
    )
    assert response.status_code == 302
    assert client.session.get("otp_device_id") == device.persistent_id


def test_wrong_codes_count_towards_the_lockout(client, staff, settings):
    turn_on(staff)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": staff.email, "password": PASSWORD, "otp_token": "12345"})
    response = client.post(reverse("login"), {"username": staff.email, "password": PASSWORD, "otp_token": "1"})
    assert response.status_code == 429


def test_users_without_two_step_sign_in_as_before(client, user_a):
    response = client.post(reverse("login"), {"username": user_a.email, "password": PASSWORD})
    assert response.status_code == 302


def test_turning_off_needs_a_current_code(staff):
    device = turn_on(staff)
    client = client_for(staff)
    client.post(reverse("members:two_factor_disable"), {"token": "999999x"})
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    client.post(reverse("members:two_factor_disable"), {"token": code(device, offset=1)})
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_setup_needs_sign_in(client):
    assert client.get(reverse("members:two_factor_setup")).status_code == 302


def _error_of(response) -> list[str]:
    return [str(e) for e in response.context["form"].non_field_errors()]


def test_a_right_password_without_the_code_answers_as_a_wrong_password(staff, settings):
    """No password oracle: a guesser cannot tell that the password was right from the answer,
    and both count towards the lockout."""
    turn_on(staff)
    url = reverse("login")
    right_without_code = Client().post(url, {"username": staff.email, "password": PASSWORD})
    wrong_password = Client().post(url, {"username": staff.email, "password": "wrong-" + PASSWORD})
    right_with_wrong_code = Client().post(url, {"username": staff.email, "password": PASSWORD, "otp_token": "1"})
    assert right_without_code.status_code == wrong_password.status_code == right_with_wrong_code.status_code == 200
    assert _error_of(right_without_code) == _error_of(wrong_password) == _error_of(right_with_wrong_code)
    assert "Fel e-postadress, lösenord eller kod" in _error_of(wrong_password)[0]
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": staff.email, "password": PASSWORD})
    assert client.post(url, {"username": staff.email, "password": PASSWORD}).status_code == 429


def test_the_admin_login_is_the_portal_sign_in_with_its_code(admin_user):
    device = turn_on(admin_user)
    client = Client()
    # Django's own admin form asked for a password only; now /admin/login/ signs no one in.
    response = client.post(
        reverse("admin:login"), {"username": admin_user.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next=")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
    # Through the portal's sign-in with the code the admin opens.
    device.refresh_from_db()
    response = client.post(
        reverse("login") + "?next=/admin/",
        {"username": admin_user.email, "password": PASSWORD, "otp_token": code(device, offset=1)},
    )
    assert response["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_session_without_the_code_does_not_open_the_admin(admin_user):
    """A session signed in by password only (e.g. before the device was confirmed) is refused by
    the admin once the user has a device; an admin without a device opens it as before."""
    client = client_for(admin_user)
    assert client.get(reverse("admin:index")).status_code == 200
    turn_on(admin_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert client.get(reverse("admin:members_kommun_changelist")).status_code == 302
