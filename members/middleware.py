import time

from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """A signed-in user's chosen language wins over the browser's; the language switch saves it.

    Runs after LocaleMiddleware and AuthenticationMiddleware. An explicit choice in the language
    cookie (set by the switch) is honoured for anonymous visitors by LocaleMiddleware itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language = cookie if cookie in dict(settings.LANGUAGES) else user.language
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class SessionIdleRenewalMiddleware:
    """Expire a signed-in session after SESSION_COOKIE_AGE of inactivity.

    Instead of saving the session on every request (a write per page view), an active session is
    renewed once SESSION_RENEW_AFTER_SECONDS have passed since the last renewal, so inactivity
    expiry is exact to within that many seconds.
    """

    KEY = "_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= settings.SESSION_RENEW_AFTER_SECONDS:
                session[self.KEY] = now  # marks the session modified: saved with a fresh expiry
        return self.get_response(request)
