"""One settings module, driven by the environment.

Every default works without a server (SQLite file, filesystem broker, e-mail to a local
outbox), so `make run` needs nothing installed. DATABASE_URL, CELERY_BROKER_URL / REDIS_URL
and EMAIL_URL switch to PostgreSQL, Redis and SMTP. DJANGO_ENV=production turns on the
strict mode that refuses to start without a real SECRET_KEY or a mail server (EMAIL_URL).
Outside production a missing SECRET_KEY is made once per installation (var dir), never a
shared constant; DEBUG is off unless DEBUG=1.
"""

from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from core import languages
from mantelzorg.schedule import beat_schedule
from mantelzorg.secret_key import installation_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

VAR_DIR = Path(env.str("MANTELZORG_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in ("development", "production"):
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"

# Debug pages list every URL and setting: only for a developer who asks (DEBUG=1), never by
# default, not even in `make run`, which the public may reach.
DEBUG = env.bool("DEBUG", default=False)

# Outside production, without SECRET_KEY in the environment: this installation's own random
# key from the var dir (mantelzorg/secret_key.py), so no signed token can be forged with a
# key that is public in the source.
SECRET_KEY = env.str("SECRET_KEY", default="") or (
    "" if PRODUCTION else installation_secret_key(VAR_DIR))
if PRODUCTION and (
    len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "DJANGO_ENV=production needs a real SECRET_KEY in the environment "
        "(at least 50 random characters)."
    )

# Demo mode is what `make run` uses: staff may skip two-factor authentication so a newcomer
# can look around with the printed demo login. Never allowed in production.
DEMO_MODE = env.bool("MANTELZORG_DEMO", default=False)
if PRODUCTION and DEMO_MODE:
    raise ImproperlyConfigured("MANTELZORG_DEMO cannot be used with DJANGO_ENV=production.")
STAFF_2FA_REQUIRED = not DEMO_MODE

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "mantelzorg.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_fsm_log",
    # Lowest layer first (docs/ARCHITECTURE.md); core is a plain package, not an app.
    "worker",
    "registrations",
    "appreciation",
    "insight",
    "mantelzorg",
]

# Who the mail engine (worker) writes to: its letters and deliveries point at this model, as
# auth's users point at AUTH_USER_MODEL, so the engine itself names no domain model.
MAIL_RECIPIENT_MODEL = "registrations.Caregiver"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mantelzorg.middleware.DatabaseUnavailableMiddleware",
    "mantelzorg.middleware_session.SessionMiddleware",  # keeps a new cookie (its docstring)
    "core.middleware_language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Sign-out may end at an OpenID Connect provider: its origin in form-action.
    "mantelzorg.middleware_signin.SignInProvidersCSPMiddleware",
    # Axes must be last: it turns a lockout signalled by the backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mantelzorg.urls"
# A missing or stale CSRF cookie gets the site's own Dutch page with a way back.
CSRF_FAILURE_VIEW = "mantelzorg.errors.csrf_failure"
WSGI_APPLICATION = "mantelzorg.wsgi.application"

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
                "mantelzorg.context_processors.site",
                "registrations.context_processors.form_of_address",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # make run's SQLite is shared by web, worker and beat: writers wait their turn (WAL,
    # IMMEDIATE transactions, a timeout) instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE", "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "mantelzorg:staff_login"
# How long a new colleague's invitation link works (Django's password-token lifetime; the
# product has no "forgot password" page, a coordinator resets accounts in Medewerkers).
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
LOGIN_REDIRECT_URL = "mantelzorg:dashboard"

# Brute-force protection: after AXES_FAILURE_LIMIT wrong passwords for one account from one
# address, that account is locked *from that address* for AXES_COOLOFF_MINUTES. Locking on
# the username alone would let anyone anywhere lock a colleague out (issue 14, item 12).
# django-axes has one failure limit for every lockout parameter, so adding "ip_address"
# here would lock an address at the same ten failures and make the combination moot. The
# broader limit against one address guessing across accounts is therefore our own, on
# axes' records: STAFF_LOGIN_FAILURES_PER_ADDRESS (views_staff.address_locked_out).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
STAFF_LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=30)
AXES_LOCKOUT_TEMPLATE = "mantelzorg/staff/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0) or None
# Behind PROXY_COUNT proxies the client is in X-Forwarded-For (django-ipware is not used).
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_ip"

OTP_TOTP_ISSUER = "Servicepunt Mantelzorg Harderwijk"

LANGUAGE_CODE = "nl"
LANGUAGES = languages.CHOICES
LANGUAGE_COOKIE_NAME = "taal"  # the language choice (core/middleware_language.py)
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# static/nlds/ holds the NL Design System CSS (scripts/bootstrap.sh copies it from npm);
# core.theme.ThemeFinder adds nlds/theme.css, made from the municipality's theme file.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "core.theme.ThemeFinder",
]
# The look: a theme's name in themes/ or the path of a theme file (docs/THEME.md).
MANTELZORG_THEME = env.str("MANTELZORG_THEME", default="harderwijk")
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
    # `make run` serves static files without collectstatic and without DEBUG: WhiteNoise
    # finds them where runserver would (its default follows DEBUG, which is off).
    WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(VAR_DIR / "media")}},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# --- E-mail: a readable outbox under var/ unless EMAIL_URL points at SMTP -----------------
EMAIL_OUTBOX_DIR = VAR_DIR / "outbox"
_email = env.email_url("EMAIL_URL") if env.str("EMAIL_URL", default="") else {}
if PRODUCTION and not _email.get("EMAIL_BACKEND", "").endswith(".smtp.EmailBackend"):
    # Without a mail server mail would pile up in a file nobody reads (or go to a mail
    # catcher whoever reaches it can read): refuse to start instead.
    raise ImproperlyConfigured(
        "DJANGO_ENV=production needs EMAIL_URL in the environment: an SMTP server, e.g. "
        "smtp+tls://mail.example.org:587 (user and password before the @ of the host).")
if _email:
    vars().update(_email)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(EMAIL_OUTBOX_DIR)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Servicepunt Mantelzorg <mantelzorg@example.org>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Message-IDs end in our own domain (worker/mail.py), not the machine's name (`localhost` in
# a container); by default the domain of the sender address.
EMAIL_MESSAGE_ID_DOMAIN = env.str(
    "EMAIL_MESSAGE_ID_DOMAIN",
    default=parseaddr(DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost.invalid")
# The Date header in Europe/Amsterdam time with its offset, not the unknown zone -0000.
EMAIL_USE_LOCALTIME = True

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        # kombu's default is ./control, which would litter the checkout with broker files.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    # Far below the time any chunk of work takes, so a lost worker's task is redelivered.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Newsletter sending tasks queued at once; they share the work (match the worker slots).
NEWSLETTER_PARALLEL_SENDERS = env.int("NEWSLETTER_PARALLEL_SENDERS", default=2)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = beat_schedule(
    heartbeat_seconds=env.float("SCHEDULER_HEARTBEAT_SECONDS", default=60.0)
)

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^health$"]
    if env.bool("BEHIND_TLS_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Logging: no personal data; requests are logged by gunicorn without query strings ----
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Link tokens in paths (a 404 of a sign-in link logs its path) become [token].
    "filters": {"redact_tokens": {"()": "core.logredact.RedactTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain",
                             "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"filters": ["redact_tokens"]},
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # At DEBUG the worker's pool logs each task's message, arguments included; the
        # sign-in mail task's argument is the raw link token (tests/security/test_log_privacy.py).
        "celery.pool": {"level": "INFO"},
    },
}

SITE_NAME = "Servicepunt Mantelzorg Harderwijk & Hierden"
# Letterhead and return address on paper letters.
LETTER_SENDER = {
    "name": "Servicepunt Mantelzorg",
    "address": env.str("LETTER_SENDER_ADDRESS", default="Postbus 123"),
    "postcode_city": env.str("LETTER_SENDER_POSTCODE_CITY", default="3840 AC Harderwijk"),
    "phone": env.str("LETTER_SENDER_PHONE", default=""),
    "email": env.str("LETTER_SENDER_EMAIL", default="mantelzorg@example.org"),
}
# Links in mail and letters. Unless set, they follow the port `make run` serves on.
SITE_URL = env.str("SITE_URL", default=f"http://localhost:{env.int('PORT', default=8000)}")

# The Servicepunt's own account: the debtor of the SEPA payment files of the waardering.
# The defaults are fake demo values (a test IBAN); set the real account in production.
PAYOUT_ACCOUNT = {
    "name": env.str("PAYOUT_ACCOUNT_NAME", default="Servicepunt Mantelzorg (demo)"),
    "iban": env.str("PAYOUT_ACCOUNT_IBAN", default="NL02ABNA0123456789"),
    "bic": env.str("PAYOUT_ACCOUNT_BIC", default="ABNANL2A"),
}

# Rate limits (core/ratelimit.py), fixed windows counted in the cache. A limit of 0
# switches that one off; RATELIMIT_ENABLED=off all of them (e.g. for a load test).
RATELIMIT_ENABLED = env.bool("RATELIMIT_ENABLED", default=True)
RATELIMIT_LINK_PER_ADDRESS = env.int("RATELIMIT_LINK_PER_ADDRESS", default=5)
RATELIMIT_LINK_PER_IP = env.int("RATELIMIT_LINK_PER_IP", default=20)
RATELIMIT_LINK_WINDOW_SECONDS = env.int("RATELIMIT_LINK_WINDOW_SECONDS", default=3600)
RATELIMIT_FORM_PER_IP = env.int("RATELIMIT_FORM_PER_IP", default=30)
RATELIMIT_FORM_PER_IDENTITY = env.int("RATELIMIT_FORM_PER_IDENTITY", default=10)
RATELIMIT_FORM_WINDOW_SECONDS = env.int("RATELIMIT_FORM_WINDOW_SECONDS", default=600)

# --- Signing in with OpenID Connect (core/oidc.py): both optional, off until configured ----
# Secrets only from the environment. OIDC_TIMEOUT_SECONDS bounds every call to a provider.
OIDC_TIMEOUT_SECONDS = env.float("OIDC_TIMEOUT_SECONDS", default=5.0)

# Staff single sign-on for the back office (the organisation's Entra ID, Keycloak, …). The
# groups claim decides the role; the provider must show a second factor (`acr` one of
# STAFF_SSO_ACR_VALUES, or an `amr` one of STAFF_SSO_AMR_VALUES), so SSO users skip the
# local authenticator code. STAFF_LOCAL_LOGIN=off leaves only SSO.
STAFF_SSO = {
    "issuer": env.str("STAFF_SSO_ISSUER", default=""),
    "client_id": env.str("STAFF_SSO_CLIENT_ID", default=""),
    "client_secret": env.str("STAFF_SSO_CLIENT_SECRET", default=""),
    "scopes": env.str("STAFF_SSO_SCOPES", default="openid profile email groups"),
    "groups_claim": env.str("STAFF_SSO_GROUPS_CLAIM", default="groups"),
    "consulent_groups": env.list("STAFF_SSO_CONSULENT_GROUPS", default=[]),
    "coordinator_groups": env.list("STAFF_SSO_COORDINATOR_GROUPS", default=[]),
    "acr_values": env.list("STAFF_SSO_ACR_VALUES", default=[]),
    "amr_values": env.list("STAFF_SSO_AMR_VALUES", default=[]),
    "demo": DEMO_MODE,
}
if STAFF_SSO["issuer"] and not (STAFF_SSO["acr_values"] or STAFF_SSO["amr_values"]):
    raise ImproperlyConfigured(
        "STAFF_SSO_ISSUER is set: say which sign-ins count as two-factor with "
        "STAFF_SSO_ACR_VALUES or STAFF_SSO_AMR_VALUES (SSO users skip the local code).")
STAFF_LOCAL_LOGIN = env.bool("STAFF_LOCAL_LOGIN", default=True)

# DigiD for caregivers through an OpenID Connect broker. The BSN is never stored: a caregiver
# is found by an HMAC of it (BSN_PSEUDONYM_KEY; outside production derived from SECRET_KEY).
DIGID = {
    "issuer": env.str("DIGID_ISSUER", default=""),
    "client_id": env.str("DIGID_CLIENT_ID", default=""),
    "client_secret": env.str("DIGID_CLIENT_SECRET", default=""),
    "scopes": env.str("DIGID_SCOPES", default="openid bsn machtigen"),
    "bsn_claim": env.str("DIGID_BSN_CLAIM", default="bsn"),
    "representee_claim": env.str("DIGID_REPRESENTEE_CLAIM", default="representee_bsn"),
    "demo": DEMO_MODE,
}
BSN_PSEUDONYM_KEY = env.str("BSN_PSEUDONYM_KEY", default="")
if PRODUCTION and DIGID["issuer"] and len(BSN_PSEUDONYM_KEY) < 32:
    # Derived from SECRET_KEY, a key rotation would unlink every caregiver from DigiD.
    raise ImproperlyConfigured(
        "DIGID_ISSUER is set: production needs BSN_PSEUDONYM_KEY (at least 32 random "
        "characters), a key of its own that never changes.")
