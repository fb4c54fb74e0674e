"""Personal data, marked once in the model (GDPR art. 30).

Every model field that holds personal data says so on its model class:

    personal_data = {
        "name": Personal(Kind.NAME, purpose=Purpose.MEMBER_CONTACT, basis=Basis.PUBLIC_TASK,
                         audience=Audience.KOMMUN, retention=Retention.CONTACT_INACTIVE),
        "code_name": NotPersonal(_("a code word chosen so that it names nobody")),
    }

`privacy.register` reads these marks (and simple-history's copies of them) into the register of
processing, the search for one person's data, the erasure and the retention rules; a test walks
every model's fields and fails when one that looks personal (a name, an e-mail, a phone number,
free text, an IP address, a reference to a user or contact) carries no mark. On the ground floor
so that every app can mark its own models; it knows no app.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What the field holds; erasure treats each kind its own way (privacy.services)."""

    NAME = "name", _("Name")
    EMAIL = "email", _("E-mail address")
    PHONE = "phone", _("Phone number")
    TITLE = "title", _("Job title")
    TEXT = "text", _("Free text that may name people")
    CONTACT_DETAILS = "contact_details", _("One person's contact details as free text")
    REFERENCE = "reference", _("Reference to a person (user or contact)")
    ADDRESS = "address", _("IP address or browser")
    OTHER = "other", _("Other personal data")


class Purpose(models.TextChoices):
    MEMBER_CONTACT = "member_contact", _("Keeping in touch with the member kommuner by role (SBA agreement)")
    ACCOUNT = "account", _("Portal accounts: signing in, roles and notifications")
    INQUIRY = "inquiry", _("Handling investor inquiries with the member kommuner")
    INVESTOR = "investor", _("Reaching the investor's contact person during an inquiry")
    DIALOG = "dialog", _("Recording meetings and dialogue with the kommuner")
    MATURITY = "maturity", _("Maturity self-assessments and their review")
    NKI = "nki", _("Importing and publishing NKI results")
    EMAIL = "email", _("Sending e-mail notifications and digests, and proving delivery")
    ACCOUNTABILITY = "accountability", _("Accountability: who changed what, and when (history, audit)")
    SECURITY = "security", _("Security: sign-in limits, sessions and two-factor authentication")


class Basis(models.TextChoices):
    PUBLIC_TASK = "public_task", _("Task in the public interest (art. 6.1 e): the City's business promotion")
    CONTRACT = "contract", _("Contract (art. 6.1 b): the SBA agreement and the portal's terms of use")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest (art. 6.1 f)")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation (art. 6.1 c): archiving of public records")


class Audience(models.TextChoices):
    """Who may see the field, by role, as members/access.py decides."""

    STAFF = "staff", _("Invest Stockholm staff only (access.staff_required)")
    KOMMUN = "kommun", _("Staff, and the users of the person's own kommun (access.scope_to_kommun)")
    PORTAL = "portal", _("Every portal user: a kommun's NKI contact (access.public_nki_contacts)")
    SELF = "self", _("The user themself, and staff (account pages, user list)")
    ADMIN = "admin", _("Administrators only (Django admin, the privacy pages)")


class Retention(models.TextChoices):
    """How long the field is kept; the rules with numbers are `privacy.RetentionRule` rows."""

    CONTACT_INACTIVE = "contact_inactive", _("Until the contact has been inactive for the rule's years, then erased")
    INVESTOR_CONTACT = "investor_contact", _("Until the rule's years after the inquiry was closed, then blanked")
    OUTBOX_BODY = "outbox_body", _("E-mail texts: the rule's days after sending, then blanked")
    HISTORY = "history", _("Old versions: the rule's years, then removed (the latest version stays)")
    ACCOUNT = "account", _("As long as the account exists; erased on request (privacy pages)")
    RECORD = "record", _("As long as the record it belongs to; erased on request (privacy pages)")
    SECURITY = "security", _("Short-lived: sessions expire, sign-in attempts are cleared by django-axes")


class Copy(models.TextChoices):
    """Where copies of the field live besides its own table."""

    HISTORY = "history", _("History (every old version)")
    OUTBOX = "outbox", _("E-mails in the outbox")
    EXPORTS = "exports", _("CSV/Excel exports")
    BACKUPS = "backups", _("Database backups")


@dataclass(frozen=True)
class Personal:
    kind: Kind
    purpose: Purpose
    basis: Basis
    audience: Audience
    retention: Retention
    copies: tuple[Copy, ...] = ()  # beyond history (read from the model) and backups (always)


@dataclass(frozen=True)
class NotPersonal:
    """A field that looks personal but is not (a kommun's name, a code word): say why."""

    reason: str


Mark = Personal | NotPersonal


def marks(
    *,
    purpose: Purpose,
    basis: Basis,
    audience: Audience,
    retention: Retention,
    copies: tuple[Copy, ...] = (),
    **kinds: Kind,
) -> dict[str, Personal]:
    """Several fields of one model with the same purpose, basis, audience and retention:
    `marks(purpose=…, basis=…, audience=…, retention=…, name=Kind.NAME, email=Kind.EMAIL)`."""
    return {
        field: Personal(kind, purpose=purpose, basis=basis, audience=audience, retention=retention, copies=copies)
        for field, kind in kinds.items()
    }
