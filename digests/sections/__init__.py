"""The digest sections, each a function (recipient, period) → dict | None that reads through the
feature's own access-scoped selector with `recipient.viewer`, rendered by
digests/templates/digests/email/sections/<function name>.txt|.html. Which kind shows which, in
what order: digests/kinds.py.

- members.py   — contacts missing, membership ending, portal use (kommun, staff, quarterly);
- inquiries.py — inquiries awaiting the kommun's answer, the daily deadline reminder, feedback and
                 outcomes, stale sites; staff: answers overdue, inquiries closing with few answers,
                 new answers; quarterly: inquiries received / answered / forwarded / won;
- nki.py       — new NKI results for the kommun; quarterly: NKI movement;
- dialog.py    — staff: members without a logged contact for DIALOG_NO_CONTACT_DAYS days.
"""
