"""Digest kinds (also their outbox kinds) and the few numbers the sections use."""

from members.models import Contact

KOMMUN_WEEKLY = "kommun_weekly"
STAFF_WEEKLY = "staff_weekly"
MEMBER_QUARTERLY = "member_quarterly"
DEADLINE_DAILY = "deadline_daily"
NKI_WEEKLY = "nki_weekly"

# Roles Invest Stockholm needs a reachable person for in every member kommun.
REQUIRED_CONTACT_ROLES = (
    Contact.Role.KSO,
    Contact.Role.KOMMUNDIREKTOR,
    Contact.Role.NARINGSLIVSCHEF,
    Contact.Role.INVESTMENT,
    Contact.Role.NKI,
)
MEMBERSHIP_ENDING_WITHIN_DAYS = 120
LIST_LIMIT = 20  # rows a section lists before "and N more"
DEADLINE_REMINDER_DAYS = 2  # deadline_daily: inquiries due within this many days without an answer
CLOSING_WITHIN_DAYS = 7  # staff digest: inquiries whose answer deadline comes within a week …
FEW_ANSWERS_SHARE = 0.5  # … with fewer than half of the kommuner answered
