from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigestsConfig(AppConfig):
    """Scheduled e-mail digests. Stands above the feature apps: may read members, inquiries, nki."""

    name = "digests"
    verbose_name = _("Digests")

    def ready(self) -> None:
        from outbox import kinds as outbox_kinds

        from .kinds import DIGEST_KINDS

        for digest_kind in DIGEST_KINDS:
            outbox_kinds.register(
                outbox_kinds.Kind(
                    code=digest_kind.code,
                    label=digest_kind.label,
                    description=digest_kind.description,
                    audiences=digest_kind.audiences,
                    order=50,
                )
            )
