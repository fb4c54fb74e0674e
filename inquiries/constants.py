"""The numbers the matching and the inbox use, in one place (data, not scattered through code).

A requirement is *near* when the best site misses it by no more than these tolerances; the
reason shown to staff and kommuner states the numbers, so the tolerance is never hidden.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

# A site this much smaller than the area asked for is a near miss (0.20 = up to 20 % smaller).
AREA_TOLERANCE = Decimal("0.20")
# Grid power this much below what is asked for is a near miss.
POWER_TOLERANCE = Decimal("0.20")
# A distance this much longer than the maximum asked for is a near miss (0.50 = up to 50 % further) …
DISTANCE_TOLERANCE = Decimal("0.50")
# … or at least this many km further, whichever is larger (short distances have tiny percentages).
DISTANCE_TOLERANCE_MIN_KM = Decimal("2")
# A site available this many days after the needed-by date is a near miss.
AVAILABILITY_TOLERANCE_DAYS = 180

# Premises this much smaller than the floor area asked for are a near miss.
PREMISES_AREA_TOLERANCE = Decimal("0.20")
# The kinds of premises (members.models.Premises.Kind), and for each kind asked for the kinds that
# may serve it (a near miss): a warehouse and a production hall are often converted into each other.
PREMISES_KINDS = {
    "lager": _("warehouse"),
    "kontor": _("office"),
    "produktion": _("production"),
    "laboratorium": _("laboratory"),
    "handel": _("retail"),
    "ovrigt": _("other premises"),
}
PREMISES_NEAR_KINDS = {
    "lager": ("produktion",),
    "produktion": ("lager",),
    "laboratorium": ("kontor", "produktion"),
    "kontor": ("laboratorium",),
}

# Inbox: a dispatch whose deadline is this close is flagged as urgent.
DEADLINE_SOON_DAYS = 3
# Default answer deadline offered when an inquiry is created (days from today).
DEFAULT_ANSWER_DAYS = 14

# Insight: regional gaps look at inquiries sent within this many days (the region's recent demand).
GAP_WINDOW_DAYS = 730

# Rows per page in the staff inquiry list and the kommun inbox's closed list.
PAGE_SIZE = 50
# The inbox's closed inquiries are the archive, below what needs an answer: a shorter page.
INBOX_CLOSED_PAGE_SIZE = 20

# Sane bounds on the figures staff type in (outcome jobs and investment, an inquiry's planned jobs).
# They catch a slip of the keyboard (an extra zero or three), not an ambitious project: the largest
# single workplaces in Sweden have around ten thousand employees and the largest industrial
# investments in its history are of the order of 100 000 MSEK, so nothing real comes near these.
MAX_JOBS = 50_000
MAX_INVESTMENT_MSEK = 1_000_000
