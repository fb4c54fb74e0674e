"""Digest kinds and their sections, in the order the e-mail shows them.

A digest is, for each recipient, the sections of its kind that have something to say. A section is
a function (recipient, period) → dict or None (in digests/sections/, next to the data it reads) and
a template pair `digests/email/sections/<key>.txt|.html` that renders the dict. Adding a section:
one function, two small templates, one line in a kind's `sections` below. A digest whose sections
all return None is not sent.

Sections must read through members.access with `recipient.viewer`, never with their own kommun
checks, so a kommun's digest can contain nothing of another kommun.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from outbox.kinds import CONTACT, KOMMUN, STAFF

from . import periods, recipients
from .constants import DEADLINE_DAILY, KOMMUN_WEEKLY, MEMBER_QUARTERLY, NKI_WEEKLY, STAFF_WEEKLY
from .periods import Period
from .sections import dialog, inquiries, members, nki


@dataclass(frozen=True)
class Section:
    key: str  # also the template name
    build: Callable[..., dict | None]  # (recipient, period) → template context or None

    @property
    def template_base(self) -> str:
        return f"digests/email/sections/{self.key}"


@dataclass(frozen=True)
class DigestKind:
    code: str  # also the outbox kind
    label: str | Promise
    description: str | Promise
    cadence: str  # periods.DAY / WEEK / QUARTER
    audiences: frozenset[str]  # outbox.kinds audiences, for the settings page
    recipients: Callable[[Period], Iterable]  # → recipients.Recipient
    title: str | Promise  # heading of the e-mail
    sections: tuple[Section, ...]


def _sections(*functions) -> tuple[Section, ...]:
    return tuple(Section(function.__name__, function) for function in functions)


DIGEST_KINDS = [
    DigestKind(
        code=KOMMUN_WEEKLY,
        label=_("Weekly digest for the kommun"),
        description=_("Monday mornings: what is waiting for your kommun and what happened last week."),
        cadence=periods.WEEK,
        audiences=frozenset({KOMMUN, CONTACT}),
        recipients=recipients.kommun_recipients,
        title=_("SBA weekly digest"),
        sections=_sections(
            inquiries.inquiries_awaiting_answer,
            inquiries.feedback_and_outcomes,
            nki.nki_news,
            inquiries.stale_sites,
            members.contacts_missing,
            members.membership_ending,
        ),
    ),
    DigestKind(
        code=NKI_WEEKLY,
        label=_("NKI news for the kommun"),
        description=_(
            "Monday mornings, when the kommun has new NKI results: for those responsible for NKI, bygglov or miljö."
        ),
        cadence=periods.WEEK,
        audiences=frozenset({KOMMUN, CONTACT}),
        recipients=recipients.nki_news_recipients,
        title=_("SBA NKI news"),
        sections=_sections(
            nki.nki_news,
        ),
    ),
    DigestKind(
        code=STAFF_WEEKLY,
        label=_("Weekly digest for Invest Stockholm"),
        description=_("Monday mornings: overdue answers, members to follow up, pending invitations."),
        cadence=periods.WEEK,
        audiences=frozenset({STAFF}),
        recipients=recipients.staff_recipients,
        title=_("SBA staff digest"),
        sections=_sections(
            inquiries.answers_overdue,
            inquiries.inquiries_closing_with_few_answers,
            inquiries.new_answers,
            dialog.kommuner_without_contact,
            members.members_never_signed_in,
            members.region_contacts_missing,
            members.invitations_pending,
            members.region_memberships_ending,
        ),
    ),
    DigestKind(
        code=MEMBER_QUARTERLY,
        label=_("Quarterly member report"),
        description=_("Once a quarter, to the KSO and kommundirektör: the kommun's SBA membership in one page."),
        cadence=periods.QUARTER,
        audiences=frozenset({KOMMUN, CONTACT}),
        recipients=recipients.member_leadership_recipients,
        title=_("SBA member report"),
        sections=_sections(
            members.membership_facts,
            inquiries.inquiry_facts,
            nki.nki_movement,
            members.contact_facts,
        ),
    ),
    DigestKind(
        code=DEADLINE_DAILY,
        label=_("Deadline reminders"),
        description=_("In the morning, when an inquiry to your kommun is due within two days without an answer."),
        cadence=periods.DAY,
        audiences=frozenset({KOMMUN, CONTACT}),
        recipients=recipients.inquiry_contact_recipients,
        title=_("SBA deadline reminder"),
        sections=_sections(
            inquiries.deadline_reminder,
        ),
    ),
]


_BY_CODE = {kind.code: kind for kind in DIGEST_KINDS}


def kind(code: str) -> DigestKind:
    try:
        return _BY_CODE[code]
    except KeyError:
        raise ValueError(f"Unknown digest kind {code!r}; known: {', '.join(sorted(_BY_CODE))}.") from None
