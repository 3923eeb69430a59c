"""One settings module. Every knob is an environment variable KIZUNA_* with a safe default."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from kizuna.core.bounds import MAX_BODY_BYTES

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("KIZUNA_DATA_DIR", Path.cwd() / "var")).resolve()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """An explicit key wins; otherwise one random key per data directory, kept across restarts."""
    if key := os.environ.get("KIZUNA_SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


DEBUG = _env_bool("KIZUNA_DEBUG", False)
# Demo mode: demo people can log in with the demo password. Off unless asked for.
DEMO_MODE = _env_bool("KIZUNA_DEMO", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = _env_list("KIZUNA_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _env_list("KIZUNA_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    # Swagger UI's files come from ninja's own static folder, never from a CDN.
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "kizuna.core",
    "kizuna.signin",
    "kizuna.sharing",
    "kizuna.acsa",
    "kizuna.coordination",
    "kizuna.exercises",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body: 413 with the limit named, control characters refused.
    "kizuna.core.middleware.InputGuardMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After authentication: a person whose second factor is due reaches nothing else.
    "kizuna.signin.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Turns a lockout flagged by the authentication backend into the sign-in page that says so.
    "axes.middleware.AxesMiddleware",
    # API writes with an Idempotency-Key: the key and its answer in the write's transaction.
    "kizuna.core.idempotency.IdempotencyMiddleware",
    # Innermost and synchronous only, so that under ASGI the whole chain above runs in one
    # thread; see the module's docstring.
    "kizuna.core.middleware.PersonPreferencesMiddleware",
]

# Django reads at most this much of a body that is not a file upload: a 10 MB attachment
# sent to the API base64-encoded in JSON (core.bounds), answered 413 above it.
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_BODY_BYTES

ROOT_URLCONF = "kizuna.urls"
ASGI_APPLICATION = "kizuna.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kizuna.core.context_processors.kizuna",
                "kizuna.signin.context_processors.signin",
            ],
            "builtins": [
                "kizuna.core.templatetags.zones",
                "kizuna.core.templatetags.formats",
                "kizuna.core.templatetags.navigation",
            ],
        },
    },
]

# Engines: the embedded SQLite file is the default; PostgreSQL through KIZUNA_DATABASE_URL.
DATABASE_URL = os.environ.get("KIZUNA_DATABASE_URL", f"sqlite:///{DATA_DIR / 'kizuna.sqlite3'}")
# Under ASGI each request runs in its own thread, so persistent per-thread connections would
# pile up until PostgreSQL refuses more clients: connections are closed after each request,
# and on PostgreSQL they come from a pool (psycopg_pool) so that closing costs nothing.
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": 2,
            "max_size": int(os.environ.get("KIZUNA_DB_POOL_SIZE", 10)),
            "timeout": 10,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock when a transaction starts, so two writers queue
        # instead of failing half-way; WAL lets readers go on meanwhile.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.Person"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"
# Axes first: it refuses a locked account or address before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "kizuna.core.auth.PersonBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's 20,000 passwords most seen in breaches, then zxcvbn's estimate, whose lists
    # (30,000 breached passwords, words, names) also catch their l33t and padded variants.
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "kizuna.signin.validators.GuessablePasswordValidator"},
]
SESSION_COOKIE_AGE = int(os.environ.get("KIZUNA_SESSION_SECONDS", 8 * 3600))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Guessing passwords (django-axes, kizuna.signin.throttle): failures are counted per account
# and per address over the cool-off window; either count at its limit locks that account or
# address until the window has passed since its latest failure.
SIGNIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("KIZUNA_SIGNIN_ACCOUNT_LIMIT", 5))
SIGNIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("KIZUNA_SIGNIN_ADDRESS_LIMIT", 20))
AXES_HANDLER = "kizuna.signin.throttle.SignInAttempts"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = 100  # per cent of each parameter's own limit, see SignInAttempts
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("KIZUNA_SIGNIN_COOLOFF_MINUTES", 15)))
# A locked person trying again (even with the right password) does not push the unlock back.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kizuna.signin.views.locked_out"
# Behind N proxies that each append to X-Forwarded-For, the client is the N-th from the right.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("KIZUNA_PROXY_COUNT", 0)) or None
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)
AXES_VERBOSE = False

# The second factor (django-otp): time-based codes from an authenticator app, and recovery codes.
OTP_TOTP_ISSUER = "Kizuna"
OTP_TOTP_THROTTLE_FACTOR = 1  # a wrong code waits 1 s, then 2, 4, 8 … before the next try
SIGNIN_RECOVERY_CODES_DAYS = int(os.environ.get("KIZUNA_RECOVERY_CODES_DAYS", 365))

# Behind TLS: KIZUNA_HTTPS=1 marks every cookie Secure, sends HSTS, trusts the proxy's
# X-Forwarded-Proto and redirects plain HTTP (except the load balancer's /healthz probe).
# KIZUNA_SECURE_COOKIES alone still marks the cookies only.
HTTPS = _env_bool("KIZUNA_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = HTTPS or _env_bool(
    "KIZUNA_SECURE_COOKIES", False
)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("KIZUNA_HSTS_SECONDS", 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("KIZUNA_HSTS_SUBDOMAINS", False)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Every script and style from this site's own files: no inline script, no other host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Swagger UI draws its icons from data: URIs.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Language and time: stored in UTC, shown in each person's language and zones.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "kizuna_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
# The zones shown side by side unless a person chooses others: Japan, Washington State, Hawaii.
DEFAULT_TIME_ZONES = _env_list(
    "KIZUNA_TIME_ZONES", "Asia/Tokyo,America/Los_Angeles,Pacific/Honolulu"
)

STATIC_URL = "/static/"
# Shared assets (layout, vendored libraries); each app may add its own <app>/static.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("KIZUNA_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Signed checkpoints of the audit chain (core.checkpoints, docs/operations.md). The Ed25519
# signing key is held apart from the database: in KIZUNA_AUDIT_KEY (the raw 32-byte key in
# base64), else in the PEM file KIZUNA_AUDIT_KEY_FILE (`kizuna audit keygen` makes one).
# Checkpoints are files in KIZUNA_AUDIT_CHECKPOINT_DIR, written by the task worker every
# KIZUNA_AUDIT_CHECKPOINT_SECONDS while a key is configured.
AUDIT_KEY = os.environ.get("KIZUNA_AUDIT_KEY", "")
AUDIT_KEY_FILE = Path(
    os.environ.get("KIZUNA_AUDIT_KEY_FILE", DATA_DIR / "audit" / "signing-key.pem")
)
AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("KIZUNA_AUDIT_CHECKPOINT_DIR", DATA_DIR / "audit" / "checkpoints")
)
AUDIT_CHECKPOINT_SECONDS = float(os.environ.get("KIZUNA_AUDIT_CHECKPOINT_SECONDS", 300))

# `kizuna serve`: how long requests and live streams get to finish once the service is told
# to stop (SIGTERM, SIGINT); what still runs 5 seconds after that is killed.
STOP_SECONDS = int(os.environ.get("KIZUNA_STOP_SECONDS", 10))
# A live stream whose reader stops reading is dropped past either bound (coordination.live):
# batches of entries waiting for it, and seconds the oldest of them has waited.
STREAM_QUEUE = int(os.environ.get("KIZUNA_STREAM_QUEUE", 100))
STREAM_SEND_SECONDS = float(os.environ.get("KIZUNA_STREAM_SEND_SECONDS", 10))
# How long the API keeps the answer to an Idempotency-Key (core.idempotency).
IDEMPOTENCY_HOURS = int(os.environ.get("KIZUNA_IDEMPOTENCY_HOURS", 24))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KIZUNA_LOG_LEVEL", "INFO")},
}
