"""The Django admin behind the portal's own sign-in, two-step code included.

Django's default admin site has its own login form that asks for a password only, so an admin who
turned on two-step sign-in could skip the code at /admin/login/. Here the admin login sends
everyone to the portal's sign-in (members.forms.EmailAuthenticationForm: e-mail, password and, for
a user with a device, the code), and the admin refuses a session whose user has a confirmed device
but did not give its code in that session (django-otp's is_verified, as django_otp.admin.OTPAdminSite
does for every user).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device


class PortalAdminSite(admin.AdminSite):
    site_header = "SBA Portal"
    site_title = "SBA Portal"
    index_title = _("Administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        if not super().has_permission(request):
            return False
        return user.is_verified() or not user_has_device(user, confirmed=True)

    def login(self, request: HttpRequest, extra_context=None):
        """The portal's sign-in, then back to where the admin was going."""
        target = request.GET.get("next") or resolve_url("admin:index")
        return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': target})}")


class PortalAdminConfig(AdminConfig):
    default_site = "sba_portal.admin_site.PortalAdminSite"
