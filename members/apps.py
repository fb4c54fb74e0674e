from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from . import cache, signals  # noqa: F401  (signals: sign-in logging)

        cache.connect()  # every model's writes retire the cache topics it names (cache_topics)
