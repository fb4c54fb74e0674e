"""Optimistic concurrency for edit forms of shared records: a stale save is refused, nothing lost.

Two people open the same contact; the first saves a new phone number; the second, still looking
at the old one, saves a new title. Without a check the second save writes the old phone number
back. With `StaleEditMixin` the edit page carries a fingerprint of the record's editable values as
they were shown (a hidden field); on save the form compares it with the record as it is now and,
if someone changed it meanwhile, refuses with a message naming what changed and its value now.
The form keeps what the person typed, and now carries the new fingerprint: saving again (after
looking) writes their version on purpose.

No column or migration: the fingerprint is a digest of the form's own fields on the record.
"""

from __future__ import annotations

import hashlib
import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def _shown(value) -> str:
    if hasattr(value, "all"):  # a related manager: the ids chosen
        return ",".join(str(pk) for pk in sorted(value.all().values_list("pk", flat=True)))
    if isinstance(value, list | tuple | set):
        return ",".join(sorted(str(getattr(v, "pk", v)) for v in value))
    return "" if value is None else str(getattr(value, "pk", value))


NEW = "new"


def digests_of(record, names: list[str]) -> dict[str, str]:
    """{field: short digest of its value} for the record: what the hidden field carries."""
    return {name: hashlib.sha256(_shown(getattr(record, name, None)).encode()).hexdigest()[:12] for name in names}


class StaleEditMixin(forms.Form):
    """For a ModelForm (the record is `instance`, the fields its Meta.fields) or any form that sets
    `self.versioned = (record, [field names])` before calling super().__init__()."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    stale_message = gettext_lazy(
        "Someone else saved this while you were editing it. Changed meanwhile: %(changes)s. Your "
        "changes are not saved yet: check them against the values now and save again to keep yours."
    )

    def _versioned(self):
        if getattr(self, "versioned", None) is not None:
            return self.versioned
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None:
            return None, []
        return instance, [name for name in self._meta.fields if name != "version"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        record, names = self._versioned()
        self._current = digests_of(record, names) if record is not None else None
        if self._current is not None:
            self.initial["version"] = json.dumps(self._current, sort_keys=True)
        elif getattr(self, "versioned", None) is not None:
            self.initial["version"] = NEW  # a form that creates the record if none exists yet

    def clean(self):
        data = super().clean()
        data.pop("version", None)  # the check's own field is nobody's data
        if self._current is None or not self.is_bound:
            return data
        submitted = self.data.get(self.add_prefix("version")) or ""
        record, names = self._versioned()
        if submitted == NEW:  # shown when there was none; someone created it meanwhile
            empty = digests_of(None, names)
            changed = [name for name, digest in self._current.items() if digest != empty[name]]
        else:
            try:
                shown = json.loads(submitted or "{}")
            except ValueError:
                shown = {}
            if not isinstance(shown, dict) or not shown:
                return data  # a form from before this check, or a hand-made request: nothing to compare
            changed = [name for name, digest in self._current.items() if shown.get(name, digest) != digest]
        if changed:
            described = []
            for name in changed:
                field = self.fields.get(name)
                label = str(field.label) if field is not None else name
                value = getattr(record, name, None)
                if hasattr(value, "all"):
                    value = ", ".join(str(v) for v in value.all())
                elif field is not None and hasattr(record, f"get_{name}_display"):
                    value = getattr(record, f"get_{name}_display")()
                described.append(_("%(field)s (now: %(value)s)") % {"field": label, "value": value or "—"})
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = json.dumps(self._current, sort_keys=True)
            raise ValidationError(self.stale_message % {"changes": "; ".join(described)}, code="stale")
        return data
