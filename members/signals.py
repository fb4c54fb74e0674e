"""Sign-in events go to the security log: who, when, from where."""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .access import client_address

log = logging.getLogger("sba_portal.security")


_address = client_address


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs) -> None:
    log.info("sign-in: user=%s ip=%s", user.pk, _address(request))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs) -> None:
    log.info("sign-out: user=%s ip=%s", getattr(user, "pk", None), _address(request))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The password is never logged; Django already masks it in `credentials`.
    log.warning("failed sign-in: username=%r ip=%s", credentials.get("username"), _address(request))


def axes_username(request, credentials) -> str | None:
    """The username django-axes counts failures under: the e-mail typed, lower-cased."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username")
    return value.strip().lower() if isinstance(value, str) else None
