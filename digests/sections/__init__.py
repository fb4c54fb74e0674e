"""The digest sections, registered when the app is ready (digests.apps).

A section is a function (recipient, period) → dict | None that reads through the feature's own
access-scoped selector with `recipient.viewer`, two templates under
digests/templates/digests/email/sections/<key>.txt|.html, and a Section(...) registered in the
module of its source:

- members.py   — contacts missing, membership ending, portal use (kommun, staff, quarterly);
- inquiries.py — inquiries awaiting the kommun's answer, the daily deadline reminder, feedback and
                 outcomes, stale sites; staff: answers overdue, inquiries closing with few answers,
                 new answers; quarterly: inquiries received / answered / forwarded / won;
- nki.py       — new NKI results for the kommun; quarterly: NKI movement;
- dialog.py    — staff: members without a logged contact for DIALOG_NO_CONTACT_DAYS days.
"""


def register_all() -> None:
    from . import dialog, inquiries, members, nki

    members.register_sections()
    inquiries.register_sections()
    nki.register_sections()
    dialog.register_sections()
