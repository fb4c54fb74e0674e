from __future__ import annotations

import re
import uuid

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.signals import user_login_failed
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .concurrency import StaleEditMixin
from .models import (
    ROLE_RESPONSIBILITY,
    AgreementPeriod,
    Contact,
    Kommun,
    Membership,
    Population,
    Responsibility,
    User,
    responsibility_field,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ContactForm(StaleEditMixin, forms.ModelForm):
    """A contact with its role and the responsibilities it holds (one checkbox each; a role that
    names a responsibility holds it whether ticked or not)."""

    responsibilities = forms.MultipleChoiceField(
        label=_("Responsibilities"),
        choices=Responsibility.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One person may hold several. NKI and bygglov or miljö responsibility bring the NKI news."),
    )

    class Meta:
        model = Contact
        fields = ["name", "title", "role", "responsibilities", "email", "phone", "is_primary", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, kommun: Kommun, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kommun = kommun
        self.instance.kommun = kommun
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        if self.instance.pk:
            self.initial.setdefault("responsibilities", self.instance.responsibilities)

    def _post_clean(self) -> None:
        # The flags are model fields the form shows as one group of checkboxes.
        held = set(self.cleaned_data.get("responsibilities") or ())
        implied = ROLE_RESPONSIBILITY.get(self.cleaned_data.get("role"))
        if implied:
            held.add(implied)
        for value in Responsibility.values:
            setattr(self.instance, responsibility_field(value), value in held)
        super()._post_clean()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("is_primary") and data.get("role"):
            clash = (
                Contact.objects.active()
                .filter(kommun=self.kommun, role=data["role"], is_primary=True)
                .exclude(pk=self.instance.pk)
            )
            other = clash.first()
            if other is not None:
                self.add_error(
                    "is_primary",
                    _("%(name)s is already the primary contact for this role. Untick it there first.")
                    % {"name": other.name},
                )
        return data


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["period", "starts_on", "ends_on", "note"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, kommun: Kommun, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kommun = kommun
        self.instance.kommun = kommun
        self.fields["period"].queryset = AgreementPeriod.objects.all()
        self.fields["ends_on"].help_text = _("Leave empty while the membership runs until further notice.")

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The membership cannot end before it starts."))
            return data
        if start:
            others = Membership.objects.filter(kommun=self.kommun).exclude(pk=self.instance.pk)
            for other in others:
                other_end = other.ends_on
                overlaps = (end is None or other.starts_on <= end) and (other_end is None or start <= other_end)
                if overlaps:
                    raise forms.ValidationError(
                        _("This overlaps the membership %(other)s. Change or end that one first."),
                        params={"other": str(other)},
                    )
        return data


class AgreementPeriodForm(forms.ModelForm):
    """An agreement period: dates that do not overlap another period, and whether its member list
    is complete (members.roster reads it for every figure of the period's years)."""

    class Meta:
        model = AgreementPeriod
        fields = ["name", "starts_on", "ends_on", "roster_recorded"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = _("As SBA writes it, e.g. 2025–2028.")

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The agreement period cannot end before it starts."))
            return data
        if start and end:
            other = (
                AgreementPeriod.objects.exclude(pk=self.instance.pk)
                .filter(starts_on__lte=end, ends_on__gte=start)
                .first()
            )
            if other is not None:
                raise forms.ValidationError(
                    _("This overlaps the agreement period %(other)s. Change that one first."),
                    params={"other": other.name},
                )
        return data


class PopulationForm(forms.ModelForm):
    class Meta:
        model = Population
        fields = ["year", "population", "source"]

    def __init__(self, *args, kommun: Kommun, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kommun = kommun
        self.instance.kommun = kommun
        self.fields["year"].widget.attrs.update(min=1950, max=2100)

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 1950 <= year <= 2100:
            raise forms.ValidationError(_("Give a year between 1950 and 2100."))
        if Population.objects.filter(kommun=self.kommun, year=year).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("A population for %(year)s is already stored; edit that one."), params={"year": year}
            )
        return year


class InviteUserForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=User.Role.choices, initial=User.Role.KOMMUN)
    kommun = forms.ModelChoiceField(
        label=_("Kommun"),
        queryset=Kommun.objects.all(),
        required=False,
        help_text=_("Required for a kommun user."),
    )
    language = forms.ChoiceField(label=_("Language of e-mails"), choices=settings.LANGUAGES, initial="sv")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("There is already a user with this e-mail address."))
        return email

    def clean(self) -> dict:
        data = super().clean()
        if data.get("role") == User.Role.KOMMUN and not data.get("kommun"):
            self.add_error("kommun", _("Choose the kommun this user belongs to."))
        if data.get("role") == User.Role.STAFF:
            data["kommun"] = None
        return data


class AcceptInvitationForm(SetPasswordForm):
    """Choose a password to finish the invitation (Django's validators apply)."""


class LanguageForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "title", "phone", "language"]


class EmailAuthenticationForm(AuthenticationForm):
    """Sign-in by e-mail, plus the code from an authenticator app for users who turned it on.

    A wrong or missing code counts as a failed sign-in for the lockout (django-axes), the TOTP
    device throttles guesses itself, and the answer is the same as for a wrong password: the page
    never tells a guesser that the password was right.
    """

    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=8,
        help_text=_("Only if you have turned on two-step sign-in."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Wrong e-mail address, password or code. Check them and try again; if you have turned on "
            "two-step sign-in, enter the code your app shows now."
        ),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail")
        self.fields["username"].widget.attrs.update(autocomplete="email", type="email")

    def clean_username(self) -> str:
        # AuthenticationForm sets the field's max_length after the field is built, so no validator
        # checks it: an address longer than any account's (after NFKC, "ﷺ" is 18 characters) would
        # reach authenticate() and django-axes' record of the failure (a 255-character column).
        username = self.cleaned_data["username"]
        if len(username) > self.fields["username"].max_length:
            raise self.get_invalid_login_error()
        return username

    def clean(self) -> dict:
        data = super().clean()
        user = self.get_user()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() if user else None
        if device is None:
            return data
        token = (data.get("otp_token") or "").replace(" ", "")
        if not (token and device.verify_token(token)):
            user_login_failed.send(
                sender=__name__, credentials={"username": data.get("username")}, request=self.request
            )
            self.user_cache = None
            raise self.get_invalid_login_error()
        user.otp_device = device  # django_otp persists it in the session at login
        return data


class TwoFactorConfirmForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not self.device.verify_token(token):
            raise forms.ValidationError(_("The code is wrong or too old. Enter the code your app shows now."))
        return token


class TwoFactorSetupForm(TwoFactorConfirmForm):
    """Confirming a new, not yet saved device: checks the code without touching the database.

    (A saved device's verify_token records throttling on failure, which would save the device.)
    """

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        device = self.device
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        # ASCII digits only: str.isdigit() also accepts "¹" or "٣", which int() refuses or reads.
        if not (re.fullmatch(r"[0-9]{1,8}", token) and totp.verify(int(token), device.tolerance)):
            raise forms.ValidationError(_("The code is wrong or too old. Enter the code your app shows now."))
        return token


class PopulationImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: kommunkod (or kommun), år, folkmängd. Comma or semicolon, UTF-8 or Windows-1252."),
    )
    source = forms.CharField(label=_("Source"), max_length=200, initial="SCB")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Upload a CSV file (.csv)."))
        return upload


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset, its e-mail queued in the outbox (members.services): the request
    never talks to SMTP, so an address that exists answers as fast as one that does not, and a
    mail that cannot be delivered now is retried and logged, never dropped."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        path = reverse("password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        services.password_reset_queue(
            user=context["user"],
            url=f"{settings.SITE_URL}{path}",
            key=f"{context['uid']}:{uuid.uuid4().hex}",  # each request its own mail
        )
