"""The digest sections, registered when the app is ready (digests.apps).

What exists now is built from the ground floor (members). The rest waits for the feature apps; each
TODO below is one section: a function (recipient, period) → dict | None reading through the
feature's own access-scoped selector with `recipient.viewer`, two templates under
digests/templates/digests/email/sections/, and a Section(...) registered in a module beside
members.py (e.g. sections/inquiries.py, sections/nki.py), imported in register_all().

TODO(inquiries, issue 3) — kommun_weekly and deadline_daily:
  - inquiries_awaiting_answer: dispatches to the kommun without an answer, with deadline and days
    left (deadline_daily: only those due within 2 days; the daily reminder is empty otherwise);
  - feedback_and_outcomes: feedback, forwarding, shortlisting and decisions recorded in the period.
TODO(inquiries) — staff_weekly: answers_overdue (per inquiry, kommuner past the deadline),
  inquiries_closing_with_few_answers, new_answers (in the period).
TODO(inquiries) — member_quarterly: inquiries received / answered / forwarded / won in the quarter.
TODO(inquiries) — kommun_weekly: stale_sites (sites not confirmed for SITE_STALE_AFTER_DAYS).
TODO(nki, issue 4) — kommun_weekly: nki_news (results imported for the kommun in the period);
  member_quarterly: nki_movement (latest NKI totalt and change, with the number of answers).
TODO(dialog log) — staff_weekly: kommuner_without_contact_90_days.
"""


def register_all() -> None:
    from . import members

    members.register_sections()
    # After the merge: from . import inquiries, nki; inquiries.register_sections(); nki.register_sections()
