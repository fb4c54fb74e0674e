"""SBA Portal settings: one module, everything that differs between machines read from the environment.

Defaults give the embedded set-up (SQLite file in the project, tasks run in-process, e-mail to the
console). Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL and
EMAIL_URL; see README.md, "Production". A malformed value fails at start-up, not at first use.
Reference: https://docs.djangoproject.com/en/5.2/ref/settings/ and
https://django-environ.readthedocs.io/en/latest/types.html
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A developer may keep local overrides in .env (never committed); the environment wins over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The local demo of `make run`: DEBUG's conveniences (a development key, plain HTTP, static files
# straight from the source folders, load_demo allowed) with DEBUG itself off, so a visitor sees the
# portal's own 404 and 500 pages, as in production, never Django's technical pages listing the URLs.
DEMO = env.bool("DEMO", default=False)
LOCAL = DEBUG or DEMO

# A development key is allowed only while DEBUG (or DEMO) is on, so a forgotten variable cannot ship
# a known key.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not LOCAL:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
# DEMO's conveniences (a known key, plain HTTP) are for this machine only: a demo that answers to a
# real host name is a production set-up with the demo switch left on, and refuses to start.
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "testserver", "::1", "[::1]"}
if DEMO and not DEBUG and not set(ALLOWED_HOSTS) <= LOOPBACK_HOSTS:
    raise ImproperlyConfigured(
        "DEMO=true is the local demo of `make run` and serves only this machine "
        f"(ALLOWED_HOSTS may name only {', '.join(sorted(LOOPBACK_HOSTS))}); unset DEMO in production."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute base for links in e-mails (which have no request to build them from).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Ground floor: the kommun register, users and the access module; the e-mail outbox.
    "members",
    "outbox",
    # Feature apps, side by side; neither imports the other.
    "inquiries",
    "nki",
    "surveys",
    # What combines them: the staff overview, maturity, dialog log and reports; the digests.
    "overview",
    "digests",
    # Personal data: the register of processing, one person's data, retention (reads every app).
    "privacy",
    # The wiring: settings, URLs, the Celery app, /healthz, the start page and the demo loader.
    "sba_portal",
    "sba_portal.admin_site.PortalAdminConfig",  # django.contrib.admin behind the portal sign-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    # Three third-party apps by AppConfigs that give their admin sections Swedish names.
    "sba_portal.third_party.PortalAxesConfig",
    "django_otp",
    "sba_portal.third_party.PortalTotpConfig",
    "sba_portal.third_party.PortalBeatConfig",
    "csp",
]

MIDDLEWARE = [
    # First of all: the request id every log line of this request (and its tasks) carries.
    "sba_portal.logs.RequestIdMiddleware",
    # Outermost: a read that lost its database connection is tried once more (sba_portal.errors).
    "sba_portal.middleware.DatabaseRetryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "sba_portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "members.middleware.UserLanguageMiddleware",
    "sba_portal.middleware.ControlCharacterMiddleware",
    "members.middleware.SessionIdleRenewalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "sba_portal.middleware.RefusedAccessLogMiddleware",
    # Axes last, as its documentation asks: it turns a lockout signal into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sba_portal.urls"
WSGI_APPLICATION = "sba_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "members.context_processors.portal",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------------
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Persistent connections in production (gunicorn workers keep theirs); health-checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if LOCAL else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database: wait for a lock rather than fail while a task writes.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ---------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "sba_portal.cache_backend.FailSoftRedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Users and sign-in ---------------------------------------------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username + address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with the signed-in user read through the cache (members/backends.py).
    "members.backends.CachedUserBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password-reset links live 3 days; invitation links (members.tokens) have their own lifetime.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
INVITATION_TIMEOUT = timedelta(days=env.int("INVITATION_DAYS", default=14))
# Password-reset requests per hour: from one address, and for one e-mail address.
PASSWORD_RESET_LIMIT_PER_IP = env.int("PASSWORD_RESET_LIMIT_PER_IP", default=20)
PASSWORD_RESET_LIMIT_PER_EMAIL = env.int("PASSWORD_RESET_LIMIT_PER_EMAIL", default=3)

# Brute-force protection: https://django-axes.readthedocs.io/en/latest/4_configuration.html
# Lock the pair (username, address) so one person's typos do not lock out a whole office behind
# one address, and one address cannot try every account either.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Sign-in is by e-mail in any case: count attempts on the lower-cased address, so varying the case
# gives an attacker no extra tries. (Axes would otherwise look for a field named like USERNAME_FIELD.)
AXES_USERNAME_CALLABLE = "members.signals.axes_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# The visitor's address, for the lockout, every rate limit and the security log: one function
# (members.access.client_address). Behind PROXY_COUNT reverse proxies that each append the address
# they saw to X-Forwarded-For, the visitor is the PROXY_COUNT-th entry from the right; BEHIND_PROXY
# alone means one proxy.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
PROXY_COUNT = env.int("PROXY_COUNT", default=1 if BEHIND_PROXY else 0)
AXES_CLIENT_IP_CALLABLE = "members.access.client_address"

# Optional two-step sign-in (TOTP app), https://django-otp-official.readthedocs.io/
OTP_TOTP_ISSUER = "SBA Portal"

# Sessions end after SESSION_IDLE_SECONDS without a request (members.middleware renews an active
# session every few minutes rather than writing it on every request). Read through the cache.
SESSION_RENEW_AFTER_SECONDS = 300
# Never shorter than twice the renewal interval, or an active user (renewed only every 300 s) is
# signed out in the middle of their work.
SESSION_COOKIE_AGE = max(env.int("SESSION_IDLE_SECONDS", default=2 * 3600), 2 * SESSION_RENEW_AFTER_SECONDS)
SESSION_ENGINE = "sba_portal.sessions"  # cached_db, a lost database connection raised as such

# --- Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["sba_portal.formats"]

# --- Static files and uploads --------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded attachments are private: stored outside any public URL and served through views that
# check access. There is deliberately no MEDIA_URL route.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
# Several web nodes need one store they all see: with STORAGE_S3_BUCKET set, uploads go to an
# S3-compatible object store (AWS, MinIO, Ceph) through django-storages, private: no public ACL, and
# the portal never hands out a bucket URL — the access-checked views stream the file (any URL the
# backend can sign is short-lived, querystring-signed). Credentials: AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY (or the instance's role), read by boto3 from the environment.
# https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
STORAGE_S3_BUCKET = env.str("STORAGE_S3_BUCKET", default="")
DEFAULT_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_S3_BUCKET,
            "endpoint_url": env.str("STORAGE_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("STORAGE_S3_REGION", default="") or None,
            "location": env.str("STORAGE_S3_PREFIX", default=""),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("STORAGE_S3_URL_SECONDS", default=60),
            "file_overwrite": False,
            "signature_version": "s3v4",
            "addressing_style": env.str("STORAGE_S3_ADDRESSING_STYLE", default="auto"),
        },
    }
    if STORAGE_S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if LOCAL
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Whitenoise serves from the finders in tests and development, so no collectstatic is needed there.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
# …and, locally, picks up a static file changed or added while the server runs.
WHITENOISE_AUTOREFRESH = LOCAL
WHITENOISE_MANIFEST_STRICT = False
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- E-mail --------------------------------------------------------------------------------------
# EMAIL_URL in django-environ's form, e.g. smtp+tls://user:password@smtp.example.se:587
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-email-url
EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
vars().update(env.email_url_config(EMAIL_URL))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SBA Portal <noreply@sba-portal.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 30

# --- Celery --------------------------------------------------------------------------------------
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
# Without REDIS_URL there is no broker: tasks run in-process, at once (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL) or None
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Reliability: a task is acknowledged only once it has finished, and goes back to the queue if the
# worker dies under it. Tasks are idempotent (ids in, database rows with unique keys) so a re-run
# is harmless. The visibility timeout is longer than the hard time limit of any task.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The worker logs through settings.LOGGING like the web nodes (JSON with LOG_FORMAT=json, each line
# with the request id of the request that enqueued the task: sba_portal/logs.py).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Security ------------------------------------------------------------------------------------
# HTTPS is on unless DEBUG or DEMO; a local production-like run over plain HTTP sets HTTPS=false.
HTTPS = env.bool("HTTPS", default=not LOCAL)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if HTTPS:
    # https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    # The header only allows submission to the preload list; submitting is a separate, manual step.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # __Host- cookies are only accepted over HTTPS, for this exact host and path "/".
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
if BEHIND_PROXY:
    # Only when a proxy in front sets this header and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: no inline scripts or styles anywhere, no third-party origins.
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Forms ---------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- History -------------------------------------------------------------------------------------
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Logging -------------------------------------------------------------------------------------
# To standard output, one line per record, each with the request id (sba_portal/logs.py): taken from
# X-Request-ID when the balancer sets one, else made up, and carried into the Celery tasks a request
# enqueues. LOG_FORMAT=json writes one JSON object per line for a log collector.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be plain or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "sba_portal.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "sba_portal.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # Sign-ins, failed sign-ins and refused accesses (who, what, when, from where).
        "sba_portal.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # WeasyPrint (the reports' PDFs) and its font library log every step at INFO.
        "weasyprint": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "fontTools": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Error reporting to Sentry or a Sentry-compatible service (GlitchTip, …): only when SENTRY_DSN is
# set. No personal data is sent (send_default_pii off); performance tracing only if asked for.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        send_default_pii=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# --- Domain settings -----------------------------------------------------------------------------
# A site not confirmed for this many days is shown as stale (inquiries app).
SITE_STALE_AFTER_DAYS = env.int("SITE_STALE_AFTER_DAYS", default=365)
# Whom a kommun contacts about an inquiry that has no responsible staff member (inquiries app:
# the kommun's inquiry page and its e-mails).
INVEST_STOCKHOLM_CONTACT_EMAIL = env.str("INVEST_STOCKHOLM_CONTACT_EMAIL", default="info@investstockholm.example")
if "@" not in INVEST_STOCKHOLM_CONTACT_EMAIL.strip(" @"):
    raise ImproperlyConfigured("INVEST_STOCKHOLM_CONTACT_EMAIL must be an e-mail address.")

# Maturity model (overview app): evidence from the portal's own data.
# Share (0–1) of the SBA inquiries of the last 12 months a kommun must have answered to meet
# "responds to the inquiries that come via SBA", and how many years of NKI results make
# "compares over time". The staff overview lists members without contact for this many days.
MATURITY_ANSWER_RATE_THRESHOLD = env.float("MATURITY_ANSWER_RATE_THRESHOLD", default=0.75)
MATURITY_NKI_MIN_YEARS = env.int("MATURITY_NKI_MIN_YEARS", default=3)
DIALOG_NO_CONTACT_DAYS = env.int("DIALOG_NO_CONTACT_DAYS", default=90)

# --- Outbox and digests (issue 5; see docs/OPERATIONS.md) -----------------------------------------
# A failed send is retried after OUTBOX_RETRY_BASE_SECONDS, then twice that, four times…, until the
# row has had OUTBOX_MAX_ATTEMPTS attempts; then it is `failed` and staff may send it again.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=5)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=60)
# The sweeper re-queues a row in flight for longer than this: longer than the hard task time limit,
# so its worker is certainly gone (a shorter value could send a slow e-mail twice).
OUTBOX_STUCK_AFTER_SECONDS = env.int("OUTBOX_STUCK_AFTER_SECONDS", default=CELERY_TASK_TIME_LIMIT + 300)
# …and re-enqueues a queued row whose delivery has been due for longer than this (its task was lost).
OUTBOX_REQUEUE_AFTER_SECONDS = env.int("OUTBOX_REQUEUE_AFTER_SECONDS", default=600)
# A digest run whose heartbeat (moved after every recipient) is older than this is resumed by the
# digest sweeper (every 2 minutes), not left to the broker's visibility timeout of an hour.
DIGEST_RUN_STALE_AFTER_SECONDS = env.int("DIGEST_RUN_STALE_AFTER_SECONDS", default=180)
# An e-mail backend class that EMAIL_URL cannot name (e.g. a mail provider's API backend).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="") or EMAIL_BACKEND  # noqa: F821 - set from EMAIL_URL above
# SMTP through the outbox's own backend: it marks a row sent as soon as the server accepted the data,
# before the session closes (outbox/backends.py).
if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
    EMAIL_BACKEND = "outbox.backends.SMTPBackend"

# --- Permissions-Policy (issue 7; sba_portal.middleware) -------------------------------------------
# The portal uses none of these browser features; deny them to the page and anything it embeds.
PERMISSIONS_POLICY = {
    "accelerometer": "()",
    "camera": "()",
    "geolocation": "()",
    "gyroscope": "()",
    "magnetometer": "()",
    "microphone": "()",
    "payment": "()",
    "usb": "()",
    "browsing-topics": "()",
}

# --- Benchmark -----------------------------------------------------------------------------------
# bench/run.py serves a fixed "floor" page (sba_portal/floor.py) to compare each page against.
# Off everywhere else; tests/conftest.py asserts it is off in the test suite.
BENCH_FLOOR = env.bool("BENCH_FLOOR", default=False)
# The benchmark's cold mode: every request gets fresh members.cache keys, so it pays what the first
# reader after a write that retired every topic pays (members.cache.cold_request). Never in production.
CACHE_FRAGMENTS_OFF = env.bool("CACHE_FRAGMENTS_OFF", default=False)

# --- N+1 detection (test suite only) -------------------------------------------------------------
# The suite sets ZEAL=true (pyproject.toml): django-zeal (a dev requirement) then raises on any N+1
# query. Each request is checked on its own (the middleware, first, so one request's user lookup is
# not counted against the next one); tests/conftest.py checks the code a test calls directly.
if env.bool("ZEAL", default=False):
    INSTALLED_APPS.append("zeal")
    # Inside the database retry: each attempt of a request is its own zeal context.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("sba_portal.middleware.DatabaseRetryMiddleware") + 1, "zeal.middleware.zeal_middleware"
    )
    ZEAL_RAISE = True
    ZEAL_ALLOWLIST = [
        # Signing several test clients in reads each one's session row: one read per sign-in.
        {"model": "sessions.Session", "field": "get()"},
        # One locked read per call of the service that sends an inquiry / allocates a reference;
        # a test that sends or creates several inquiries repeats the call, not a per-row query.
        {"model": "inquiries.Inquiry", "field": "get()"},
        {"model": "inquiries.ReferenceCounter", "field": "get()"},
        # One locked read of the survey / the invitation per call of a survey service (send, remind,
        # save, submit, close); a test that calls them in turn repeats the call, not a per-row query.
        {"model": "surveys.Survey", "field": "get()"},
        {"model": "surveys.Invitation", "field": "get()"},
        {"model": "surveys.Question", "field": "get()"},
        # The register loader's get_or_create per seeded agreement period: a fixed list of two.
        {"model": "members.AgreementPeriod", "field": "get()"},
        # The demo's idempotent update_or_create per KPI of a fixed, seeded list.
        {"model": "overview.KpiTarget", "field": "get()"},
        # Test helpers fetch one fixture row by its natural key per call (kommun by code, an NKI
        # area or result by kommun, year and area); views fetch these one at a time, by URL.
        {"model": "members.Kommun", "field": "get()"},
        {"model": "nki.ServiceArea", "field": "get()"},
        {"model": "nki.NkiResult", "field": "get()"},
    ]
