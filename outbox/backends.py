"""The SMTP backend the outbox sends through: it reports the moment the server has the message.

Django's SMTP backend returns only after the whole session (the QUIT included). A worker killed
between the server's "250 OK" to the message data and the end of the session used to leave the
row in flight, so the sweeper sent it again. Here `_send` calls the message's `on_accepted`
callback (set by outbox.services.deliver) right after the server accepted the data, and the row
is marked sent before the session is closed. What remains is the few milliseconds between that
"250" and the database write, which no SMTP client can close (see docs/OPERATIONS.md).

Settings turn Django's SMTP backend (what EMAIL_URL smtp:// names) into this one.
"""

from __future__ import annotations

from django.core.mail.backends import smtp


class SMTPBackend(smtp.EmailBackend):
    def _send(self, email_message) -> bool:
        sent = super()._send(email_message)  # returns once the server answered the data with 250
        callback = getattr(email_message, "on_accepted", None)
        if sent and callback is not None:
            callback()
        return sent
