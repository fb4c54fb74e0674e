"""Turning two-step sign-in (an authenticator app, TOTP) on and off for one's own account.

Setting up writes nothing until the user proves the app works: the page keeps the new secret in
the session (so reloading shows the same QR code) and the confirmed device is created only on a
valid code. A GET never changes the database.
"""

from __future__ import annotations

import base64
import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from .forms import TwoFactorConfirmForm, TwoFactorSetupForm

PENDING_KEY = "two_factor_pending_key"


def _qr_data_uri(text: str) -> str:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=5, dark="#000", light="#fff")
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("members:account")
    key = request.session.get(PENDING_KEY)
    if not (isinstance(key, str) and len(key) == 40):
        key = request.session[PENDING_KEY] = default_key()  # 20 random bytes, hex
    # Not saved: a device object only to build the QR code and check codes against.
    device = TOTPDevice(user=request.user, key=key, name="authenticator", confirmed=False)
    form = TwoFactorSetupForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        device.confirmed = True
        device.save()
        del request.session[PENDING_KEY]
        messages.success(request, _("Two-step sign-in is on. Next time you sign in, give the code from your app."))
        return redirect("members:account")
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "members/two_factor_setup.html",
        {
            "form": form,
            "qr": _qr_data_uri(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        },
    )


@require_POST
@login_required
def disable(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    form = TwoFactorConfirmForm(request.POST, device=device) if device else None
    if form is not None and form.is_valid():
        TOTPDevice.objects.filter(user=request.user).delete()
        messages.success(request, _("Two-step sign-in is off."))
    else:
        messages.error(request, _("Give the current code from your app to turn two-step sign-in off."))
    return redirect("members:account")
