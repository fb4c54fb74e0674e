from django.utils.translation import gettext_lazy as _

from outbox.kinds import CONTACT, KOMMUN, STAFF

from . import periods, recipients
from .constants import DEADLINE_DAILY, KOMMUN_WEEKLY, MEMBER_QUARTERLY, STAFF_WEEKLY
from .registry import DigestKind

DIGEST_KINDS = [
    DigestKind(
        code=KOMMUN_WEEKLY,
        label=_("Weekly digest for the kommun"),
        description=_("Monday mornings: what is waiting for your kommun and what happened last week."),
        cadence=periods.WEEK,
        audiences=frozenset({KOMMUN, CONTACT}),
        recipients=recipients.kommun_recipients,
        title=_("SBA weekly digest"),
    ),
    DigestKind(
        code=STAFF_WEEKLY,
        label=_("Weekly digest for Invest Stockholm"),
        description=_("Monday mornings: overdue answers, members to follow up, pending invitations."),
        cadence=periods.WEEK,
        audiences=frozenset({STAFF}),
        recipients=recipients.staff_recipients,
        title=_("SBA staff digest"),
    ),
    DigestKind(
        code=MEMBER_QUARTERLY,
        label=_("Quarterly member report"),
        description=_("Once a quarter, to the KSO and kommundirektör: the kommun's SBA membership in one page."),
        cadence=periods.QUARTER,
        audiences=frozenset({KOMMUN, CONTACT}),
        recipients=recipients.member_leadership_recipients,
        title=_("SBA member report"),
    ),
    DigestKind(
        code=DEADLINE_DAILY,
        label=_("Deadline reminders"),
        description=_("In the morning, when an inquiry to your kommun is due within two days without an answer."),
        cadence=periods.DAY,
        audiences=frozenset({KOMMUN, CONTACT}),
        recipients=recipients.inquiry_contact_recipients,
        title=_("SBA deadline reminder"),
    ),
]
