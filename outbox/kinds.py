"""The kinds of e-mail the product sends, registered by the apps that send them.

The outbox knows nothing of inquiries or digests; each app registers its kinds in its
AppConfig.ready() so the notification settings page can list them with a label, for the right
audience, and the unsubscribe page can say what the person is leaving. A kind nobody registered
still works (its code is its label) and can be unsubscribed from.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

# Audiences: who may choose a kind on the settings page.
STAFF = "staff"
KOMMUN = "kommun"
CONTACT = "contact"  # people without a login (KSO, kommundirektör): only the link in the e-mail


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    description: str | Promise = ""
    audiences: frozenset[str] = frozenset({STAFF, KOMMUN})
    # A kind that is not optional (e.g. a security notice) has no unsubscribe link and ignores
    # unsubscriptions. Everything the portal sends unasked should stay optional.
    optional: bool = True
    order: int = 100


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    _kinds[kind.code] = kind


def get(code: str) -> Kind:
    return _kinds.get(code) or Kind(code=code, label=code)


def for_audience(audience: str) -> list[Kind]:
    """Optional kinds a person of this audience can switch on and off, in display order."""
    return sorted(
        (k for k in _kinds.values() if k.optional and audience in k.audiences),
        key=lambda k: (k.order, k.code),
    )


def all_kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda k: (k.order, k.code))
