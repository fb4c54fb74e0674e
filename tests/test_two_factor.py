"""Optional two-step sign-in (TOTP) for staff and kommun users."""

import re

import pytest
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


def test_staff_turns_on_two_step_and_then_needs_the_code(client, staff):
    device = turn_on(staff)
    response = client.post(reverse("login"), {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "tvåstegsinloggning" in response.content.decode()
    assert "_auth_user_id" not in client.session

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
