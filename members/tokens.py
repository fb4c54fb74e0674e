"""Invitation links: single-use and expiring, without a table of their own.

Like Django's password-reset token the hash covers the password and last sign-in, so the link stops
working the moment the person sets a password; `invited_at` is covered too, so re-sending an
invitation voids the earlier link. Lifetime: settings.INVITATION_TIMEOUT.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "members.tokens.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        # Django's check_token reads PASSWORD_RESET_TIMEOUT; an invitation has its own lifetime.
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age = self._num_seconds(self._now()) - ts
        return age <= settings.INVITATION_TIMEOUT.total_seconds()

    def _make_hash_value(self, user, timestamp: int) -> str:
        invited = "" if user.invited_at is None else user.invited_at.replace(microsecond=0).isoformat()
        return f"{super()._make_hash_value(user, timestamp)}{invited}{user.is_active}"


invitation_token = InvitationTokenGenerator()
