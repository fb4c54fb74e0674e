"""Turning two-step sign-in (an authenticator app, TOTP) on and off for one's own account."""

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
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import TwoFactorConfirmForm


def _qr_data_uri(text: str) -> str:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=5, dark="#000", light="#fff")
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("members:account")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TwoFactorConfirmForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
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
