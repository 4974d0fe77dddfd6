"""Waymark settings, read from environment variables.

Development (the default) needs no configuration: a SQLite file and a generated
secret key live in ``var/``. Production (``WAYMARK_ENV=production``) must be
given ``SECRET_KEY``, ``ALLOWED_HOSTS`` and normally ``DATABASE_URL``.
"""

import ipaddress
import secrets
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from waymark.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("WAYMARK_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

WAYMARK_ENV = env_choice("WAYMARK_ENV", ("development", "production"), "development")
PRODUCTION = WAYMARK_ENV == "production"
DEBUG = env_bool("DEBUG", False)
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set when WAYMARK_ENV=production.")
    # Development: generate once and keep it, so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    "drf_spectacular",
    "rest_framework",
    "simple_history",
    "waymark.core",
    "waymark.accounts",
    "waymark.api",
    "waymark.directory",
    "waymark.monitoring",
    "waymark.network",
    "waymark.voice",
    "waymark.plans",
    "waymark.partnership",
    "waymark.grants",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "waymark.core.uploads.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "waymark.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "waymark.urls"
WSGI_APPLICATION = "waymark.wsgi.application"
ASGI_APPLICATION = "waymark.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "waymark" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "waymark.core.context_processors.navigation",
            ],
        },
    },
]

FORM_RENDERER = "waymark.core.forms_rendering.WaymarkFormRenderer"

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'waymark.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and immediate transactions let the web server, the task worker and
    # the scheduler write to one file without "database is locked" errors.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA mmap_size=1073741824;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Shared store for rate limits and throttles ------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "waymark_cache"}}
RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "waymark.core.views.rate_limited"
# How many proxies (load balancer, nginx) stand in front of Waymark and append to X-Forwarded-For. Rate
# limits then count the address the outermost of them saw, not the proxy's own, nor what a client wrote.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
RATELIMIT_IP_META_KEY = "waymark.core.proxies.client_address"

# --- Background tasks -----------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
SCHEDULER_TICK_SECONDS = env_int("SCHEDULER_TICK_SECONDS", 30)
# A running job's worker records a heartbeat at least this often; a job whose heartbeat is older than
# JOB_STALE_SECONDS is taken to have lost its worker, and the reaper marks it failed.
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 15)
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 120)
if JOB_STALE_SECONDS < 3 * JOB_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured("JOB_STALE_SECONDS must be at least three times JOB_HEARTBEAT_SECONDS.")

# --- Accounts and security ------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["waymark.accounts.backends.PolicyBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Staff-level accounts must use a second factor whenever DEBUG is off.
SECOND_FACTOR_REQUIRED = env_bool("SECOND_FACTOR_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "Waymark"
# Sign-in limits (waymark.accounts.throttling): failed sign-ins from one address, whatever the username
# (django-ratelimit syntax); per username and address, failures allowed before each further one doubles
# the wait, from the first delay up to the longest.
LOGIN_RATE = env_str("LOGIN_RATE", "20/15m")
LOGIN_FREE_FAILURES = env_int("LOGIN_FREE_FAILURES", 5)
LOGIN_FIRST_DELAY_SECONDS = env_int("LOGIN_FIRST_DELAY_SECONDS", 30)
LOGIN_MAX_DELAY_SECONDS = env_int("LOGIN_MAX_DELAY_SECONDS", 60 * 60)

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The same policy in every environment, so that development and the browser tests meet what production sends.
# Everything comes from this site; inline <script> and <style> need the response's nonce ({{ csp_nonce }}), and
# style="" attributes and inline event handlers are refused.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],  # the authenticator's QR code is a data: image
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # Preloading is hard to undo (browsers ship the list): an operator asks for it once sure of HTTPS everywhere.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- E-mail ---------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Waymark <no-reply@waymark.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_smtp_host = env_str("EMAIL_HOST")
if _smtp_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _smtp_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 30,
            },
        }
    }
elif PRODUCTION:
    raise ImproperlyConfigured("EMAIL_HOST must be set when WAYMARK_ENV=production.")
else:
    # Development: every message is written to a file under var/mail.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }

# A delivery the mail server did not take is tried again after EMAIL_RETRY_FIRST_SECONDS, the wait doubling
# each time up to EMAIL_RETRY_MAX_SECONDS; after EMAIL_MAX_ATTEMPTS tries it is marked failed.
EMAIL_RETRY_FIRST_SECONDS = env_int("EMAIL_RETRY_FIRST_SECONDS", 60)
EMAIL_RETRY_MAX_SECONDS = env_int("EMAIL_RETRY_MAX_SECONDS", 6 * 60 * 60)
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 12)

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en-gb"
# English plus the community languages the public feedback form is translated into (waymark/locale).
LANGUAGES = [("en-gb", _("English")), ("ur", _("Urdu")), ("pl", _("Polish")), ("bn", _("Bengali"))]
LOCALE_PATHS = [BASE_DIR / "waymark" / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "waymark" / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

# Request bodies and uploads (waymark.core.uploads). Any request may send MAX_REQUEST_BYTES; a view that
# takes a file may receive its kind's max_bytes. Archives (ZIP, XLSX) are limited by the files they hold
# and their unzipped size; imports stop reading at max_rows and list at most IMPORT_MAX_LISTED_PROBLEMS.
_MB = 1024 * 1024
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 1 * _MB)
UPLOAD_LIMITS = {
    "hsds": {
        "max_bytes": env_int("HSDS_IMPORT_MAX_BYTES", 50 * _MB),
        "max_members": 100,
        "max_uncompressed_bytes": env_int("HSDS_IMPORT_MAX_UNZIPPED_BYTES", 200 * _MB),
        "max_rows": env_int("HSDS_IMPORT_MAX_ROWS", 100_000),
    },
    "monitoring": {
        "max_bytes": env_int("MONITORING_IMPORT_MAX_BYTES", 1024 * _MB),
        "max_members": 1_000,
        "max_uncompressed_bytes": env_int("MONITORING_IMPORT_MAX_UNZIPPED_BYTES", 2048 * _MB),
        "max_rows": env_int("MONITORING_IMPORT_MAX_ROWS", 50_000_000),
    },
    "contacts": {
        "max_bytes": env_int("CONTACT_IMPORT_MAX_BYTES", 5 * _MB),
        "max_members": 100,
        "max_uncompressed_bytes": env_int("CONTACT_IMPORT_MAX_UNZIPPED_BYTES", 20 * _MB),
        "max_rows": env_int("CONTACT_IMPORT_MAX_ROWS", 5_000),
    },
    # A plan's actions as CSV or XLSX (plans.action_sheets): a few hundred rows, imported while the person waits.
    "plan_actions": {
        "max_bytes": env_int("PLAN_ACTIONS_IMPORT_MAX_BYTES", 2 * _MB),
        "max_members": 100,
        "max_uncompressed_bytes": env_int("PLAN_ACTIONS_IMPORT_MAX_UNZIPPED_BYTES", 20 * _MB),
        "max_rows": env_int("PLAN_ACTIONS_IMPORT_MAX_ROWS", 2_000),
    },
    # An application's attachments: a budget, a constitution, a quote (PDF, Word, spreadsheet or picture).
    "grant_attachments": {
        "max_bytes": env_int("GRANT_ATTACHMENT_MAX_BYTES", 5 * _MB),
        "max_members": 1_000,
        "max_uncompressed_bytes": 50 * _MB,
        "max_rows": 0,
    },
    "documents": {
        "max_bytes": env_int("DOCUMENT_UPLOAD_MAX_BYTES", 10 * _MB),
        "max_members": 1_000,
        "max_uncompressed_bytes": 100 * _MB,
        "max_rows": 0,
    },
}
IMPORT_MAX_LISTED_PROBLEMS = 1_000
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- API ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "waymark.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["waymark.core.rest.permissions.PolicyPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "waymark.core.rest.pagination.WaymarkPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "waymark.api.schema.PolicyAutoSchema",
    "EXCEPTION_HANDLER": "waymark.core.rest.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "waymark.api.throttling.SignedInRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "120/minute"),
        "user": env_str("API_USER_RATE", "1200/minute"),
    },
    # The same X-Forwarded-For entry as waymark.core.proxies.client_address (DRF's default, None, would
    # count the whole header, which a client can vary at will).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Waymark API",
    "DESCRIPTION": "Race equality in mental health care: the Waymark HTTP API.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status"; these name each set of values so the schema's enum names stay stable.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": ["active", "temporarily closed"],  # the public directory's HSDS service status
        "FeedbackItemStatusEnum": "waymark.voice.choices_items.ItemStatus",
        "IssueStatusEnum": "waymark.voice.models.issues.IssueStatus",
        "KindEnum": "waymark.core.choices.CommunityKind",  # the name it had before monitoring imports had a kind
        "ImportStatusEnum": "waymark.monitoring.choices.ImportStatus",
        "ImportKindEnum": "waymark.monitoring.choices.ImportKind",
        "MeasureEnum": "waymark.monitoring.choices.Measure",
        "MembershipRoleEnum": "waymark.network.models.MembershipRole",
        "MeetingStatusEnum": "waymark.network.models.MeetingStatus",
        "ActionStatusEnum": "waymark.network.models.ActionStatus",
        "EventStatusEnum": "waymark.network.models.EventStatus",
        "RegistrationStatusEnum": "waymark.network.models.RegistrationStatus",
        "SurveyStatusEnum": "waymark.network.models.SurveyStatus",
        "QuestionKindEnum": "waymark.network.models.QuestionKind",
        "GrantAssessmentStatusEnum": "waymark.grants.choices.AssessmentStatus",
        "AssessorRoleEnum": "waymark.grants.choices.AssessorRole",
    },
}

# --- Statistical disclosure control ---------------------------------------
# Every published count goes through waymark.core.disclosure: counts from 1 to SUPPRESS_UP_TO are hidden
# (with secondary suppression so they cannot be worked out), the rest rounded to the nearest ROUND_TO.
WAYMARK_DISCLOSURE = {
    "SUPPRESS_UP_TO": env_int("DISCLOSURE_SUPPRESS_UP_TO", 7),
    "ROUND_TO": env_int("DISCLOSURE_ROUND_TO", 5),
}
# How long a protected table stays in the cache (its key is its data, so this bounds the cache's size only).
DISCLOSURE_CACHE_SECONDS = env_int("DISCLOSURE_CACHE_SECONDS", 7 * 24 * 3600)

# --- Directory: the Open Referral UK API's publisher -----------------------------
# Who publishes the directory (the site's operator), as /api/v1/directory/ names it to other directories, and
# that organisation's identifier in org-id.guide form (GB-LAE-… for a council in England, GB-CHC-… for a
# charity); the identifier is left out while it is empty.
DIRECTORY_PUBLISHER_NAME = env_str("DIRECTORY_PUBLISHER_NAME", "Waymark")
DIRECTORY_PUBLISHER_IDENTIFIER = env_str("DIRECTORY_PUBLISHER_IDENTIFIER", "")

# --- Directory: feeds read from neighbouring directories ------------------------------------------
# How Waymark reads another directory's Open Referral UK API (directory.feeds.reading): a pause between
# requests (milliseconds in the environment), a time-out for connecting and for each read, and whom the
# neighbour can write to about the requests (named in the User-Agent; the sender of Waymark's mail unless
# set). A feed may have at most so many pages and services, each answer at most so many bytes.
DIRECTORY_FEED_REQUEST_DELAY = env_int("DIRECTORY_FEED_REQUEST_DELAY_MS", 1000) / 1000
DIRECTORY_FEED_TIMEOUT = env_int("DIRECTORY_FEED_TIMEOUT", 20)
DIRECTORY_FEED_CONTACT = env_str("DIRECTORY_FEED_CONTACT", parseaddr(DEFAULT_FROM_EMAIL)[1] or DEFAULT_FROM_EMAIL)
DIRECTORY_FEED_MAX_PAGES = env_int("DIRECTORY_FEED_MAX_PAGES", 500)
DIRECTORY_FEED_MAX_RECORDS = env_int("DIRECTORY_FEED_MAX_RECORDS", 20_000)
DIRECTORY_FEED_MAX_PAGE_BYTES = env_int("DIRECTORY_FEED_MAX_PAGE_BYTES", 10 * _MB)
# A feed on a private or loopback address is refused unless its address is in one of these networks
# (comma-separated CIDR, e.g. "10.20.0.0/16" for a neighbour reached over the NHS network); none by default.
DIRECTORY_FEED_ALLOWED_NETWORKS = env_list("DIRECTORY_FEED_ALLOWED_NETWORKS", [])
for _network in DIRECTORY_FEED_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"DIRECTORY_FEED_ALLOWED_NETWORKS: {_error}") from _error

# --- PDFs -------------------------------------------------------------------
# How often one address may have a shortlist made into a PDF without signing in (django-ratelimit syntax;
# each PDF takes seconds of CPU), and how long a made PDF is kept to hand out again for the same content.
DIRECTORY_PDF_RATE = env_str("DIRECTORY_PDF_RATE", "20/h")
PDF_CACHE_SECONDS = env_int("PDF_CACHE_SECONDS", 600)

# --- Signed links ---------------------------------------------------------
# How many days each kind of link sent by e-mail or kept in a calendar program works (core.signed_links).
# After that the person sees what to do to get a new one; any one person's links can be withdrawn earlier.
SIGNED_LINK_MAX_AGE_DAYS = {
    "calendar-feed": env_int("CALENDAR_FEED_LINK_DAYS", 365),
    "unsubscribe": env_int("UNSUBSCRIBE_LINK_DAYS", 365),
    "manage-subscriptions": env_int("MANAGE_SUBSCRIPTIONS_LINK_DAYS", 90),
    "event-registration": env_int("EVENT_REGISTRATION_LINK_DAYS", 400),
    "survey-invitation": env_int("SURVEY_INVITATION_LINK_DAYS", 90),
    "consultation-feed": env_int("CONSULTATION_FEED_LINK_DAYS", 365),
    "grant-draft": env_int("GRANT_DRAFT_LINK_DAYS", 120),
    "grant-letter": env_int("GRANT_LETTER_LINK_DAYS", 730),
}
# How often one address may ask for a new manage-subscriptions link by e-mail (django-ratelimit syntax).
NETWORK_MANAGE_LINK_RATE = env_str("NETWORK_MANAGE_LINK_RATE", "10/h")

# --- Voice: escalations ---------------------------------------------------
# Working days a responder organisation has to answer (England's bank holidays and closure days skipped),
# when the "answer soon" reminder goes, how long a signed answer link works, and who gets safeguarding
# alerts (empty: every member of staff and administrator).
# Partnership working: two bodies asking one community about the same or related themes within this many days
# of each other are warned of the clash; a CDW is warned when one function takes more than this share of a
# quarter's hours.
CONSULTATION_CLASH_WINDOW_DAYS = env_int("CONSULTATION_CLASH_WINDOW_DAYS", 14)
CDW_FUNCTION_SHARE_WARNING = env_int("CDW_FUNCTION_SHARE_WARNING", 60)

# --- Grants ---------------------------------------------------------------
# The funder's 360Giving identifier prefix (registered with 360Giving): grant identifiers and the identifiers
# minted for unregistered groups start with it. How often one address may start or save an application, the
# days before and after a report's due date when the reminder goes (each once), and the largest attachment.
GRANTS_360G_PREFIX = env_str("GRANTS_360G_PREFIX", "360G-waymark")
GRANT_APPLICATION_RATE = env_str("GRANT_APPLICATION_RATE", "60/h")
GRANT_REPORT_REMINDER_DAYS_BEFORE = env_int("GRANT_REPORT_REMINDER_DAYS_BEFORE", 14)
GRANT_REPORT_REMINDER_DAYS_AFTER = env_int("GRANT_REPORT_REMINDER_DAYS_AFTER", 14)

VOICE_RESPONSE_WORKING_DAYS = env_int("VOICE_RESPONSE_WORKING_DAYS", 20)
VOICE_REMINDER_WORKING_DAYS_BEFORE = env_int("VOICE_REMINDER_WORKING_DAYS_BEFORE", 5)
VOICE_ANSWER_LINK_DAYS = env_int("VOICE_ANSWER_LINK_DAYS", 60)
VOICE_SAFEGUARDING_ALERT_TO = env_list("VOICE_SAFEGUARDING_ALERT_TO", [])

# --- Network: events -------------------------------------------------------
# How often one IP address may register for events (django-ratelimit syntax); the load bench raises it.
EVENT_REGISTRATION_RATE = env_str("EVENT_REGISTRATION_RATE", "30/h")

# --- Voice: intake --------------------------------------------------------
# How often one IP address may send the public feedback form (django-ratelimit syntax); the load bench raises it.
VOICE_FEEDBACK_RATE = env_str("VOICE_FEEDBACK_RATE", "10/m")

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# HSTS preload is the operator's choice (SECURE_HSTS_PRELOAD above), not a default check --deploy should ask for.
SILENCED_SYSTEM_CHECKS: list[str] = ["security.W021"]
