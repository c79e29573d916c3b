"""Portal settings, read from the environment.

DATABASE_URL (PostgreSQL, the only engine) is required: `./scripts/start` sets it to the embedded
PostgreSQL of the checkout (liuzhou_social/embedded_db.py) when it is unset; the settings themselves
never fall back to a database. Without REDIS_URL, Celery tasks run in-process.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from .crypto import parse_encryption_keys, parse_hash_key
from .env import env_bool, env_int, env_list, env_str, redis_url_with_db_offset

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
DATABASE_URL = env_str("DATABASE_URL")
REDIS_URL = env_str("REDIS_URL")
# Parallel test processes (pytest-xdist workers gw0, gw1, …) each take their own Redis database, so
# one process's cache flush or queued task never reaches another.
if REDIS_URL and os.environ.get("PYTEST_XDIST_WORKER", "").startswith("gw"):
    REDIS_URL = redis_url_with_db_offset(REDIS_URL, 1 + int(os.environ["PYTEST_XDIST_WORKER"][2:]))

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        # Laptop / demo only; `check --deploy` flags this key, production must set SECRET_KEY.
        SECRET_KEY = "django-insecure-demo-only-key-set-SECRET_KEY-in-production"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")

# PIPL Art. 51: ID numbers are stored encrypted (the first key encrypts, every key decrypts: rotation) and
# found by a keyed hash under a key of its own (liuzhou_social/crypto.py). No default, in DEBUG neither:
# `scripts/start` and `scripts/embedded_pg` keep generated keys beside the embedded database's data folder.
try:
    PERSONAL_DATA_KEYS = parse_encryption_keys(env_str("PERSONAL_DATA_KEYS"))
    PERSONAL_DATA_HASH_KEY = parse_hash_key(env_str("PERSONAL_DATA_HASH_KEY"), PERSONAL_DATA_KEYS)
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from None

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "simple_history",
    "network",
    "stations",
    "workforce",
    "procurement",
    "supervision",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "network.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "network.middleware.PagesForPeopleMiddleware",
    "network.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "network.middleware.DatabaseConflictMiddleware",
    # Last, so a locked-out login answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "liuzhou_social.urls"
WSGI_APPLICATION = "liuzhou_social.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "network.context_processors.navigation",
            ],
        },
    },
]

if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. The portal runs on PostgreSQL only: in production set DATABASE_URL "
        "(see .env.example); on a laptop ./scripts/start sets it to the embedded PostgreSQL of the "
        "checkout, and scripts/embedded_pg -- <command> runs any other command against that one."
    )
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured(f"DATABASE_URL must name a PostgreSQL database, not {DATABASES['default']['ENGINE']}")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "network.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Guardian: permissions on places live in direct foreign-key tables (network.Place*ObjectPermission).
GUARDIAN_USER_OBJ_PERMS_MODEL = "network.PlaceUserObjectPermission"
GUARDIAN_GROUP_OBJ_PERMS_MODEL = "network.PlaceGroupObjectPermission"
ANONYMOUS_USER_NAME = None

# Login throttling: lock a username+address after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The reverse proxies (addresses or networks) whose X-Forwarded-For names the client; empty: none.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
AXES_CLIENT_IP_CALLABLE = "liuzhou_social.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
# The lockout page says how long the lock lasts and whom to ask (network.lockout); every failed sign-in is kept
# for the login log (登录日志), as are sign-ins (axes' access log).
AXES_LOCKOUT_CALLABLE = "network.lockout.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Sessions end after inactivity.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Transport security: on by the production variables (see .env.example), off on a laptop.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every asset is served by the portal itself; scripts need the per-request nonce.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
# Dates typed as the portal shows them (2023年6月1日) are accepted as well as ISO (liuzhou_social/formats).
FORMAT_MODULE_PATH = ["liuzhou_social.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Evidence and certificate uploads.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 10) * 1024 * 1024
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 50) * 1024 * 1024
# An import file that unpacks to at most this is checked and imported in the request; a larger one on the
# worker, under a memory limit, while the page that uploaded it shows the job.
IMPORT_INLINE_BYTES = env_int("IMPORT_INLINE_KB", 256) * 1024
# Checked before a workbook is parsed: its parts unpacked, the shared-string table alone; rows per sheet.
IMPORT_MAX_UNZIPPED_MB = env_int("IMPORT_MAX_UNZIPPED_MB", 300)
IMPORT_MAX_SHARED_STRINGS_MB = env_int("IMPORT_MAX_SHARED_STRINGS_MB", 30)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)
# The memory an import on the worker may use beyond what the worker process holds already.
IMPORT_MEMORY_MB = env_int("IMPORT_MEMORY_MB", 1024)
# How long uploaded files are kept once they no longer serve (network.retention, deleted nightly).
IMPORT_RETENTION_DAYS = env_int("IMPORT_RETENTION_DAYS", 30)
EVIDENCE_RETENTION_DAYS = env_int("EVIDENCE_RETENTION_DAYS", 180)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "network.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["network.api.permissions.ScopedPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "network.api.pagination.PortalPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "network.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "network.api.throttling.PortalUserThrottle",
        "network.api.throttling.PortalAnonThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": f"{env_int('API_RATE_PER_MINUTE', 600)}/min",
        "anon": f"{env_int('API_ANON_RATE_PER_MINUTE', 30)}/min",
    },
}
# API tokens expire after this many days; the holder rotates the token (POST /api/network/token/rotate/).
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
SPECTACULAR_SETTINGS = {
    "TITLE": "柳州市社会工作服务网络 API",
    "DESCRIPTION": "Liuzhou social-work service network portal API. Every result is limited to the caller's places.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "network.api.schema.add_error_responses",
    ],
    # Swagger UI is served from the portal itself (intranet, no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "StationStatusEnum": "stations.choices.StationStatus",
        "RoomStatusEnum": "stations.choices.RoomStatus",
    },
}

# Celery: Redis with a real worker when REDIS_URL is set; in-process otherwise.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged when it ends, and given back to the queue when its worker process dies, so a job
# killed with its worker (kill -9, out of memory) runs again: every task is idempotent (an import is all or
# nothing, a recompute recomputes). A message a dead worker held is restored after the visibility timeout,
# which is longer than the hard time limit of any task, so a long job is never handed out twice while it runs.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = env_int("TASK_TIME_LIMIT_S", 1500)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT_S", 1800),
    "unacked_restore_interval": env_int("CELERY_RESTORE_INTERVAL_S", 10),
    "unacked_restore_throttle": 1,
    # A Redis that is down is said so at once (the job fails "could not be queued"), not waited for.
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
}
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= CELERY_TASK_TIME_LIMIT and REDIS_URL:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT_S must be longer than TASK_TIME_LIMIT_S")
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The job page says a job waits for a worker after this long queued, or that its worker may have stopped after
# this long running without progress.
JOB_PICKUP_SECONDS = env_int("JOB_PICKUP_SECONDS", 30)
JOB_STALL_SECONDS = env_int("JOB_STALL_SECONDS", 120)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Indicators are recomputed every night from the dated histories (reporting issue).
    "recompute-indicators-nightly": {
        "task": "reporting.tasks.recompute_indicators",
        "schedule": crontab(hour=2, minute=15),
    },
    # Each edit queues the recompute of what it changed; this sweep settles changes whose run was lost
    # (a worker killed mid-run, the broker down at commit). Nothing pending: one small query.
    "recompute-pending-changes": {"task": "reporting.tasks.recompute_pending", "schedule": 60.0},
    # A running job whose worker died and that no worker took up again is marked failed (network.jobs).
    "mark-stale-jobs": {"task": "network.tasks.jobs_mark_stale", "schedule": 300.0},
    # Import workbooks and replaced evidence past their retention are deleted (network.retention).
    "purge-expired-files": {"task": "network.tasks.files_purge", "schedule": crontab(hour=3, minute=30)},
    # The workbench's alerts become each user's notifications (once per item and user; network.notifications).
    "sync-notifications": {"task": "network.tasks.notifications_sync", "schedule": crontab(minute=5)},
    # The daily e-mail digest of new notifications, for the users who asked for it.
    "notification-digest": {"task": "network.tasks.notifications_digest", "schedule": crontab(hour=7, minute=30)},
}
# E-mail (the notification digest): Django's e-mail backend; the embedded default writes mails to the console.
# The embedded default (DEBUG, as scripts/start runs) prints mails to the console; production sends them over SMTP.
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": (
            {"host": env_str("EMAIL_HOST", "localhost"), "port": env_int("EMAIL_PORT", 25)}
            if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@localhost")
# The portal's address as users reach it, for the links in e-mails.
PORTAL_URL = env_str("PORTAL_URL", "http://127.0.0.1:8000")
# An incremental recompute that waits longer than this for a lock fails and is retried.
RECOMPUTE_LOCK_TIMEOUT_MS = env_int("RECOMPUTE_LOCK_TIMEOUT_MS", 5000)

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that is down answers at once instead of holding the page (liuzhou_social.cache).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_client_errors": {"()": "liuzhou_social.log_filters.OneLineClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {"django.request": {"filters": ["one_line_client_errors"]}},
}
