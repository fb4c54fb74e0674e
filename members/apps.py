from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from . import cache, signals  # noqa: F401  (signals: sign-in logging)

        cache.connect()  # every model's writes retire the cache topics it names (cache_topics)
        from django.core.signals import request_finished, request_started

        # Within one request, a cached value or topic version is read from the cache once.
        request_started.connect(cache.request_started, dispatch_uid="members.cache.request_started")
        request_finished.connect(cache.request_finished, dispatch_uid="members.cache.request_finished")
        from django.db.models.signals import post_delete, post_save

        from .backends import _user_changed
        from .models import User

        # The signed-in user is read through the cache (members.backends): every write forgets it.
        post_save.connect(_user_changed, sender=User, dispatch_uid="members.backends.saved")
        post_delete.connect(_user_changed, sender=User, dispatch_uid="members.backends.deleted")
        from django.conf import settings

        if settings.CACHE_FRAGMENTS_OFF:  # the benchmark's cold mode
            request_started.connect(cache.cold_request, dispatch_uid="members.cache.cold_request")

        from django.utils.translation import gettext_lazy as _

        from outbox import kinds

        from .services import INVITATION_KIND, PASSWORD_RESET_KIND

        # Account e-mail: asked for by the person (or staff), so never unsubscribable.
        for code, label in ((INVITATION_KIND, _("Invitation")), (PASSWORD_RESET_KIND, _("Password reset"))):
            kinds.register(kinds.Kind(code=code, label=label, audiences=frozenset(), optional=False, order=5))
