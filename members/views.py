"""Kommun register, contacts, memberships, users and invitations. Thin: parse, call, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import force_str
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import access, cache, panels, ratelimit, retirement, selectors, services
from .cache import Topic
from .filters import KommunFilter
from .forms import (
    AcceptInvitationForm,
    AgreementPeriodForm,
    ContactForm,
    InviteUserForm,
    LanguageForm,
    MembershipForm,
    OutboxPasswordResetForm,
    PopulationForm,
    PopulationImportForm,
)
from .models import AgreementPeriod, Membership, Population, User
from .population_import import import_population_file
from .tokens import invitation_token


class RateLimitedPasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm

    """Django's password reset, limited per address and per e-mail so nobody floods an inbox.

    Over the per-e-mail limit the page looks the same as always (nothing is revealed) but no
    further e-mail is sent; over the per-address limit the person is asked to wait.
    """

    def form_valid(self, form):
        ip = access.client_address(self.request) or ""
        email = form.cleaned_data["email"]
        try:
            ip_ok = ratelimit.hit("reset-ip", ip, limit=settings.PASSWORD_RESET_LIMIT_PER_IP, window_seconds=3600)
            email_ok = ip_ok and ratelimit.hit(
                "reset-email", email, limit=settings.PASSWORD_RESET_LIMIT_PER_EMAIL, window_seconds=3600
            )
        except ratelimit.Unavailable:
            # Without the counter, no reset mail at all (fail closed), and the person is told why.
            access.security_log.warning("password reset refused, rate limiter unavailable: ip=%s", ip)
            return render(self.request, "registration/password_reset_unavailable.html", status=503)
        if not ip_ok:
            access.security_log.warning("password reset rate-limited: ip=%s", ip)
            return render(self.request, "registration/password_reset_limited.html", status=429)
        if not email_ok:
            access.security_log.warning("password reset rate-limited for an address: ip=%s", ip)
            return redirect(self.get_success_url())
        return super().form_valid(form)


# --- Kommuner ------------------------------------------------------------------------------------


KOMMUN_LIST_PARAMETERS = {"q", "lan", "membership", "sort", "page"}


@access.staff_required
def kommun_list(request: HttpRequest) -> HttpResponse:
    kommun_filter = SimpleLazyObject(
        lambda: KommunFilter(request.GET, queryset=selectors.kommun_list(user=request.user))
    )
    # Cached (members/cache.py): uncached, the list misses p95 150 ms at ten concurrent users
    # (docs/PERFORMANCE.md). The same for all staff; the filter runs only on a miss.
    return render(
        request,
        "members/kommun_list.html",
        {
            "filter": kommun_filter,
            "page": SimpleLazyObject(lambda: Paginator(kommun_filter.qs, 100).get_page(request.GET.get("page"))),
            **cache.fragment(
                "kommun-list",
                request.GET.urlencode(),
                topics=(Topic.REGISTER, Topic.CONTACTS),
                by_date=True,
                cacheable=set(request.GET) <= KOMMUN_LIST_PARAMETERS,
            ),
        },
    )


@access.portal_user_required
def my_kommun(request: HttpRequest) -> HttpResponse:
    if not access.is_kommun_user(request.user):
        return redirect("members:kommun_list")
    return kommun_detail(request, request.user.kommun.code, is_my_kommun=True)


@access.portal_user_required
def kommun_detail(request: HttpRequest, code: str, is_my_kommun: bool = False) -> HttpResponse:
    kommun = selectors.kommun_page(user=request.user, code=code)
    return render(
        request,
        "members/kommun_detail.html",
        {
            "kommun": kommun,
            "can_edit": access.can_edit_kommun(request.user, kommun),
            "is_my_kommun": is_my_kommun,
            "invest_stockholm_email": settings.INVEST_STOCKHOLM_CONTACT_EMAIL,
            # The panels (no forms) cached per kommun and role until a write to what they read.
            "panels": SimpleLazyObject(lambda: panels.render_context(request, kommun)),
            "panels_fragment": cache.fragment(
                "kommun-panels", kommun.pk, access.is_staff(request.user), topics=panels.topics(), by_date=True
            ),
            # Contacts, memberships and populations (links, no forms) cached per kommun and what
            # the reader may do; the profile with its re-confirm buttons renders live.
            "sections": SimpleLazyObject(lambda: selectors.kommun_sections(kommun)),
            "sections_fragment": cache.fragment(
                "kommun-sections",
                kommun.pk,
                access.is_staff(request.user),
                access.can_edit_kommun(request.user, kommun),
                topics=(Topic.REGISTER, Topic.CONTACTS),
                by_date=True,
            ),
            "profile": selectors.kommun_profile(kommun),
            "profile_sites": selectors.kommun_sites(kommun),
            "profile_premises": selectors.kommun_premises(kommun),
        },
    )


@access.staff_required
def kommun_history(request: HttpRequest, code: str) -> HttpResponse:
    kommun = access.get_kommun_or_404(request.user, code)
    return render(
        request,
        "members/kommun_history.html",
        {"kommun": kommun, "entries": selectors.kommun_history(kommun)},
    )


# --- Contacts ------------------------------------------------------------------------------------


def _editable_kommun(request: HttpRequest, code: str):
    kommun = access.get_kommun_or_404(request.user, code)
    if not access.can_edit_kommun(request.user, kommun):
        raise Http404
    return kommun


@access.portal_user_required
def contact_create(request: HttpRequest, code: str) -> HttpResponse:
    kommun = _editable_kommun(request, code)
    form = ContactForm(request.POST or None, kommun=kommun)
    if request.method == "POST" and form.is_valid():
        contact = form.save()
        messages.success(request, _("Contact %(name)s added.") % {"name": contact.name})
        return redirect(kommun)
    return render(request, "members/contact_form.html", {"form": form, "kommun": kommun})


@access.portal_user_required
def contact_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    kommun = _editable_kommun(request, code)
    contact = access.get_contact_or_404(request.user, kommun, pk)
    form = ContactForm(request.POST or None, instance=contact, kommun=kommun)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Contact %(name)s saved.") % {"name": contact.name})
        return redirect(kommun)
    return render(request, "members/contact_form.html", {"form": form, "kommun": kommun, "contact": contact})


@access.portal_user_required
def contact_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    kommun = _editable_kommun(request, code)
    contact = access.get_contact_or_404(request.user, kommun, pk)
    if request.method == "POST":
        if retirement.contact_remove(contact=contact) == retirement.Removal.DEACTIVATED:
            messages.success(
                request,
                _(
                    "%(name)s is named in answers or dialog entries, so the contact is kept there and "
                    "deactivated: it no longer gets e-mails or appears in lists."
                )
                % {"name": contact.name},
            )
        else:
            messages.success(request, _("Contact %(name)s removed.") % {"name": contact.name})
        return redirect(kommun)
    return render(
        request,
        "members/confirm_delete.html",
        {
            "kommun": kommun,
            "object": contact,
            "cancel_url": kommun.get_absolute_url(),
            "deactivates": retirement.is_referenced(contact),
        },
    )


@require_POST
@access.portal_user_required
def contact_reactivate(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    kommun = _editable_kommun(request, code)
    contact = access.get_contact_or_404(request.user, kommun, pk)
    retirement.contact_set_active(contact=contact, active=True)
    messages.success(request, _("%(name)s is an active contact again.") % {"name": contact.name})
    return redirect(kommun)


# --- Memberships and population (staff) ----------------------------------------------------------


@access.staff_required
def membership_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    kommun = access.get_kommun_or_404(request.user, code)
    membership = get_object_or_404(Membership, kommun=kommun, pk=pk) if pk else None
    form = MembershipForm(request.POST or None, instance=membership, kommun=kommun)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Membership saved."))
        return redirect(kommun)
    return render(request, "members/membership_form.html", {"form": form, "kommun": kommun, "membership": membership})


@access.staff_required
def membership_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    kommun = access.get_kommun_or_404(request.user, code)
    membership = get_object_or_404(Membership, kommun=kommun, pk=pk)
    if request.method == "POST":
        membership.delete()
        messages.success(request, _("Membership removed."))
        return redirect(kommun)
    return render(
        request,
        "members/confirm_delete.html",
        {"kommun": kommun, "object": membership, "cancel_url": kommun.get_absolute_url()},
    )


@access.staff_required
def period_list(request: HttpRequest) -> HttpResponse:
    """The agreement periods with their members: where staff see whose list is missing."""
    return render(request, "members/period_list.html", {"periods": selectors.agreement_periods()})


@access.staff_required
def period_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    period = get_object_or_404(AgreementPeriod, pk=pk) if pk else None
    form = AgreementPeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Agreement period %(name)s saved.") % {"name": saved.name})
        return redirect("members:period_edit", pk=saved.pk)
    return render(
        request,
        "members/period_form.html",
        {"form": form, "period": period, **(selectors.agreement_period_page(period) if period else {})},
    )


@access.staff_required
def population_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    kommun = access.get_kommun_or_404(request.user, code)
    population = get_object_or_404(Population, kommun=kommun, pk=pk) if pk else None
    form = PopulationForm(request.POST or None, instance=population, kommun=kommun)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Population saved."))
        return redirect(kommun)
    return render(request, "members/population_form.html", {"form": form, "kommun": kommun, "population": population})


@access.staff_required
def population_import(request: HttpRequest) -> HttpResponse:
    form = PopulationImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_population_file(form.cleaned_data["file"].read(), source=form.cleaned_data["source"])
        if result.ok:
            messages.success(
                request,
                _("Populations imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.")
                % result.counts,
            )
            return redirect("members:population_import")
    return render(request, "members/population_import.html", {"form": form, "result": result})


# --- Users and invitations -----------------------------------------------------------------------


@access.staff_required
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.select_related("kommun").order_by("role", "kommun__name", "email")
    page = Paginator(users, 100).get_page(request.GET.get("page"))
    return render(request, "members/user_list.html", {"page": page})


@access.staff_required
def user_invite(request: HttpRequest) -> HttpResponse:
    initial = {}
    if code := request.GET.get("kommun"):
        initial["kommun"] = access.kommuner_visible_to(request.user).filter(code=code).first()
    form = InviteUserForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user = services.user_invite(invited_by=request.user, **form.cleaned_data)
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": user.email})
        return redirect("members:user_list")
    return render(request, "members/user_invite.html", {"form": form})


@require_POST
@access.staff_required
def user_reinvite(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    if not user.has_pending_invitation:
        messages.error(request, _("%(email)s has already set a password.") % {"email": user.email})
    else:
        services.user_reinvite(user=user, invited_by=request.user)
        messages.success(request, _("A new invitation was sent to %(email)s.") % {"email": user.email})
    return redirect("members:user_list")


@require_POST
@access.staff_required
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    if user == request.user and not active:
        messages.error(request, _("You cannot deactivate yourself."))
    else:
        services.user_set_active(user=user, active=active)
        text = _("%(email)s can sign in again.") if active else _("%(email)s has been deactivated.")
        messages.success(request, text % {"email": user.email})
    return redirect("members:user_list")


def accept_invitation(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The page an invitation links to: choose a password, then you are signed in."""
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not user.is_active or not invitation_token.check_token(user, token):
        return render(request, "registration/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_accept(user=user, password=form.cleaned_data["new_password1"])
        login(request, user, backend="members.backends.CachedUserBackend")
        messages.success(request, _("Welcome to SBA Portal. Your password is set."))
        return redirect("home")
    return render(request, "registration/accept_invitation.html", {"form": form, "invited_user": user})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your settings are saved."))
        response = redirect("members:account")
        # Make the saved language take effect at once, over any earlier switch.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.cleaned_data["language"],
            secure=settings.LANGUAGE_COOKIE_SECURE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            httponly=False,
        )
        return response
    two_factor_on = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    return render(request, "members/account.html", {"form": form, "two_factor_on": two_factor_on})
