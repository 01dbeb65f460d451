"""Settings for Khai báo F0, read only from environment variables (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env, env_bool, env_int, env_list
from config.storage import object_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off. "
            "Generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET_KEY):
    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A refused form comes back in Vietnamese with what was typed, to send again (core.views).
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

# Public address used in QR codes, notifications and links sent outside the site.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The deployment: which province, which set of administrative units.
PROVINCE_CODE = env("PROVINCE_CODE", "08")
UNIT_SET = env("UNIT_SET", "gso-2021")
# Prefix of tracking codes (TQ-7K3M-9QXH); two letters naming the province.
TRACKING_CODE_PREFIX = env("TRACKING_CODE_PREFIX", "TQ")
# The department that runs the system, named in the footer and on the login page. The
# provincial Department of Information and Communications was merged into the Department of
# Science and Technology in 2025 (Resolution 190/2025/QH15 and the provinces' resolutions):
# the name follows the province's organisation, not the code.
OPERATOR_NAME = env("OPERATOR_NAME", "Sở Khoa học và Công nghệ")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    # Before django_tasks_db: jobs' db_worker command (which first takes up the bulk jobs
    # of dead workers) stands in for theirs.
    "jobs",
    "django_tasks",
    "django_tasks_db",
    "units",
    "accounts",
    "audit",
    "uploads",
    "notifications",
    "cases",
    "documents",
    "public",
    "backoffice",
    "reports",
    "guides",
    # The REST API (/api/v1/); ninja for its templates and static files (the docs page).
    "ninja",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.KeepFormLoginRequiredMiddleware",
    "core.middleware.SlidingSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "config.context_processors.deployment",
            ],
        },
    },
]

# Database: SQLite by default (WAL, busy timeout, immediate write transactions so that
# concurrent writers queue instead of failing), PostgreSQL when DATABASE_URL is set.
SQLITE_PATH = VAR_DIR / "db.sqlite3"
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_health_checks=True)}
    if env_bool("DATABASE_POOL", False):
        DATABASES["default"]["OPTIONS"] = {"pool": {"min_size": 2, "max_size": 16}}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # A database that is down answers a page within seconds (a 503, core.views), rather
        # than holding a worker for the operating system's TCP timeout.
        DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
            "DATABASE_CONNECT_TIMEOUT", 5
        )
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=30000;"
                ),
            },
        }
    }
# A PostgreSQL read replica for the monitoring pages (dashboards, service levels, public
# figures): their reads go there, every write and every other page stays on the primary.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")
REPORTS_READ_REPLICA = bool(DATABASE_REPLICA_URL)
if DATABASE_REPLICA_URL:
    if not DATABASE_URL:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL (the primary).")
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL, conn_health_checks=True),
        "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cache_entries",
    }
}

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A running bulk job whose worker gives no news for this long (it renews its claim with
# every item) is taken up again from where it stopped by the next worker start or
# maintenance run (jobs/recovery.py). Longer than the slowest single item.
BULK_JOB_LEASE_SECONDS = env_int("BULK_JOB_LEASE_SECONDS", 300)

# Accounts, passwords and login.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        # Django's rule, with its message in Vietnamese (accounts.validators).
        "NAME": "accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "core:home"
# Staff sessions end this long after the last request (core.session slides them).
# Django's database sessions, updated without a savepoint (core/sessions.py).
SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout: after AXES_FAILURE_LIMIT failures for one username from one IP address, that
# pair is locked for AXES_COOLOFF_MINUTES; other people and other addresses are unaffected.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The client address (core.client): the number of reverse proxies in front of the site that
# append to X-Forwarded-For; 0 when clients connect to the application server directly.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "core.client.client_address"
AXES_VERBOSE = False

# Two-factor sign-in (TOTP, django-otp) for the roles listed here: by default, in
# production, every role (each reads personal data: cases, accounts or the audit trail);
# none in development, so that the demo accounts sign in with a password alone.
TWO_FACTOR_ROLES = env_list(
    "TWO_FACTOR_ROLES",
    "" if DEBUG else "system_admin,province_health,district_staff,commune_leader,commune_officer",
)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Khai báo F0")
# Second-step failures per account and address before a pause (like the password step).
TWO_FACTOR_FAILURE_LIMIT = env_int("TWO_FACTOR_FAILURE_LIMIT", 5)
TWO_FACTOR_FAILURE_WINDOW = 60 * env_int("AXES_COOLOFF_MINUTES", 15)

# Languages: Vietnamese is the source language of every message; English is a translation.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded photos and issued documents are personal data: stored outside any public path
# and served only through views that check the user's unit.
PRIVATE_STORAGE_ROOT = Path(env("PRIVATE_STORAGE_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
# Several app servers share their files through S3-compatible object storage (MinIO, Viettel
# or VNPT object storage, AWS): FILE_STORAGE=s3 and the S3_* variables (install `.[s3]`).
# Files are never public there either: they are read through the views that check scope.
FILE_STORAGE = env("FILE_STORAGE", "filesystem")
if FILE_STORAGE == "s3":
    STORAGES["default"] = object_storage()
elif FILE_STORAGE != "filesystem":
    raise ImproperlyConfigured(f"FILE_STORAGE must be filesystem or s3, not {FILE_STORAGE!r}")
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Security headers. HTTPS settings default to on in production and can be relaxed only
# explicitly (for instance behind a TLS-terminating proxy that sets X-Forwarded-Proto).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# The preload flag only allows submitting the domain to browsers' preload lists.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Outgoing email (receipts, notifications); console output unless configured.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "khaibaof0@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin", a) for a in env_list("ADMIN_EMAILS")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Demo data may be loaded only where this is on (make run turns it on): the demo app, with
# its accounts, declarations and synthetic cases, is not even installed otherwise.
DEMO_MODE = env_bool("DEMO_MODE", False)
if DEMO_MODE or DEBUG:
    INSTALLED_APPS.append("demo")

WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Notifications to citizens (notifications app). SMS: console by default; a file for
# development; an HTTP gateway in production (see notifications/backends.py).
SMS_BACKEND = env("SMS_BACKEND", "notifications.backends.ConsoleSMSBackend")
SMS_FILE_PATH = env("SMS_FILE_PATH", str(VAR_DIR / "sms.log"))
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN")
SMS_SENDER = env("SMS_SENDER")
SMS_GATEWAY_FORMAT = env("SMS_GATEWAY_FORMAT", "json")
SMS_GATEWAY_TIMEOUT = env_int("SMS_GATEWAY_TIMEOUT", 10)
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 5)
NOTIFICATION_RETRY_DELAY_SECONDS = env_int("NOTIFICATION_RETRY_DELAY_SECONDS", 60)
NOTIFICATION_RETENTION_DAYS = env_int("NOTIFICATION_RETENTION_DAYS", 180)
# A worker delivering a message holds it this long; a worker killed meanwhile leaves it to
# the maintenance job once the lease ends. Longer than the slowest gateway's timeout.
NOTIFICATION_LEASE_SECONDS = env_int("NOTIFICATION_LEASE_SECONDS", 120)
# Zalo Official Account notification service (ZNS), off by default; citizens are offered
# Zalo on the declaration form only when it is on. Templates: "kind=template_id,...".
ZALO_ZNS_ENABLED = env_bool("ZALO_ZNS_ENABLED", False)
ZALO_ZNS_URL = env("ZALO_ZNS_URL", "https://business.openapi.zalo.me/message/template")
ZALO_ZNS_ACCESS_TOKEN = env("ZALO_ZNS_ACCESS_TOKEN")
ZALO_ZNS_TEMPLATES = dict(
    item.split("=", 1) for item in env_list("ZALO_ZNS_TEMPLATES") if "=" in item
)
ZALO_ZNS_TIMEOUT = env_int("ZALO_ZNS_TIMEOUT", 10)
# The morning digest to commune officials and district staff goes from this local hour.
DIGEST_HOUR = env_int("DIGEST_HOUR", 7)
# Ask for a one-time code sent to the phone before a declaration is accepted.
PHONE_VERIFICATION_REQUIRED = env_bool("PHONE_VERIFICATION_REQUIRED", False)

# Rate limits (public forms and lookups); off only for load tests on a private network.
RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)

# Personal data of a case is removed this many days after the case is closed (statistics and
# issued documents are kept). See cases/retention.py; run by `manage.py maintenance`.
CASE_RETENTION_DAYS = env_int("CASE_RETENTION_DAYS", 730)

# --- Documents (documents app) ------------------------------------------------------------
# Signing of issued documents (documents/signing.py), first match wins: the commune's own
# SIGNING_P12_DIR/<GSO code>.p12 (passphrase SIGNING_P12_PASSPHRASE_<code>, read from the
# environment, else SIGNING_P12_PASSPHRASE); the shared SIGNING_P12_PATH; otherwise a
# development certificate marked in the PDF and on the verification page as not legally
# valid, refused when SIGNING_REQUIRE_CERTIFICATE is true. Passphrases may come from *_FILE.
SIGNING_P12_DIR = env("SIGNING_P12_DIR")
SIGNING_P12_PATH = env("SIGNING_P12_PATH")
SIGNING_P12_PASSPHRASE = env("SIGNING_P12_PASSPHRASE")
SIGNING_REQUIRE_CERTIFICATE = env_bool("SIGNING_REQUIRE_CERTIFICATE", False)

# Service levels: a declaration waiting longer than this for review is overdue (inbox tab,
# dashboards, overdue lists).
REVIEW_OVERDUE_HOURS = env_int("REVIEW_OVERDUE_HOURS", 24)
# Public statistics: counts below this are shown as "<N" so no person can be singled out.
PUBLIC_MIN_COUNT = env_int("PUBLIC_MIN_COUNT", 5)
# Excel exports are kept this long for their creator to download, then deleted.
EXPORT_RETENTION_HOURS = env_int("EXPORT_RETENTION_HOURS", 24)
# Handovers of bulk-created accounts (temporary passwords) are kept this long for the
# manager who made them, then deleted.
ACCOUNTS_HANDOVER_HOURS = env_int("ACCOUNTS_HANDOVER_HOURS", 24)
