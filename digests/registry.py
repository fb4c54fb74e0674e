"""Digest kinds and their sections.

A digest is, for each recipient, the list of registered sections that have something to say. A
section is a function (recipient, period) → dict or None, plus a template pair
`digests/email/sections/<key>.txt|.html` that renders the dict. Adding a section (e.g. the
inquiries awaiting a kommun's answer) is: one function, two small templates, one register() call in
digests/sections/. A digest whose sections all return None is not sent.

Sections must read through members.access with `recipient.viewer`, never with their own kommun
checks, so a kommun's digest can contain nothing of another kommun.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise

from .periods import Period


@dataclass(frozen=True)
class DigestKind:
    code: str  # also the outbox kind
    label: str | Promise
    description: str | Promise
    cadence: str  # periods.DAY / WEEK / QUARTER
    audiences: frozenset[str]  # outbox.kinds audiences, for the settings page
    recipients: Callable[[Period], Iterable]  # → recipients.Recipient
    title: str | Promise  # heading of the e-mail


@dataclass(frozen=True)
class Section:
    key: str
    kinds: tuple[str, ...]
    build: Callable[..., dict | None]  # (recipient, period) → template context or None
    order: int = 100
    template: str = field(default="")

    @property
    def template_base(self) -> str:
        return self.template or f"digests/email/sections/{self.key}"


_kinds: dict[str, DigestKind] = {}
_sections: dict[str, Section] = {}


def register_kind(kind: DigestKind) -> None:
    _kinds[kind.code] = kind


def register(section: Section) -> None:
    _sections[section.key] = section


def kind(code: str) -> DigestKind:
    try:
        return _kinds[code]
    except KeyError:
        raise ValueError(f"Unknown digest kind {code!r}; known: {', '.join(sorted(_kinds))}.") from None


def kinds() -> list[DigestKind]:
    return [_kinds[code] for code in sorted(_kinds)]


def sections_for(code: str) -> list[Section]:
    return sorted((s for s in _sections.values() if code in s.kinds), key=lambda s: (s.order, s.key))
