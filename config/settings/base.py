"""Settings shared by every environment.

Everything that differs between machines comes from the environment (12-factor), read with
django-environ. With no environment at all the embedded defaults apply: SQLite, the local-memory
cache and eager Celery, so that ``make run`` works on a fresh machine. ``.env.example`` lists
every variable with its default.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file is optional; real deployments set the environment directly.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# More host names of the platform itself (never a shop's custom domain); SITE_URL's host is one.
PLATFORM_HOSTS = env.list("PLATFORM_HOSTS", default=[])

INSTALLED_APPS = [
    "apps.core.admin_site.BazaarAdminConfig",  # django.contrib.admin with one "Accounts" section
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Redoc served from our own static files (the CSP allows no CDN)
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django_countries",
    "apps.core",
    "apps.accounts",
    "apps.tenants",
    "apps.catalog",
    "apps.promotions",
    "apps.orders",
    "apps.payments",
    "apps.invoices",
    "apps.analytics",
    "apps.demo",
]

MIDDLEWARE = [
    "apps.core.middleware.RequestIdMiddleware",
    "apps.core.metrics.MetricsMiddleware",
    "apps.core.db_router.ReadYourWritesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "apps.core.middleware.SecurityHeadersMiddleware",
    # /healthz and /readyz answer here, before CommonMiddleware validates the Host header.
    "apps.core.middleware.HealthCheckMiddleware",
    "apps.core.admin_guard.AdminNetworkMiddleware",  # ADMIN_ALLOWED_NETWORKS
    # A shop's own domain: / on it is /s/<slug>/ (before the page cache, which keys on host and path).
    "apps.tenants.middleware.CustomDomainMiddleware",
    # Registered anonymous machine endpoints (the analytics beacon) answer here (apps/core/fast_paths.py).
    "apps.core.fast_paths.FastPathMiddleware",
    # Compresses pages rendered below (the page cache sends its own precompressed gzip).
    "django.middleware.gzip.GZipMiddleware",
    # Anonymous storefront pages answer here, before sessions, auth and messages (apps/core/page_cache.py).
    "apps.core.page_cache_middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "apps.core.middleware.ApiErrorMiddleware",
    # A suspended tenant's pages: the 503 "shop unavailable" page (the API's 503 is ApiErrorMiddleware's).
    "apps.tenants.middleware.SuspendedTenantMiddleware",
    "apps.core.middleware.AccessLogMiddleware",
    # axes must be last: it turns lockouts into responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.site",
                "apps.core.page_cache.csrf_context",  # {% csrf_token %} on cacheable pages (placeholder)
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL selects the engine; on PostgreSQL psycopg 3's pool is used (Django 5.1+).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DB_POOL_MIN_SIZE = env.int("DB_POOL_MIN_SIZE", default=2)
# One connection per serving thread: the pool follows gunicorn's threads (config/gunicorn.py), so
# the default 2 workers x 8 threads hold at most 16 connections per instance (<= 20).
GUNICORN_THREADS = env.int("GUNICORN_THREADS", default=8)
DB_POOL_MAX_SIZE = env.int("DB_POOL_MAX_SIZE", default=max(GUNICORN_THREADS, DB_POOL_MIN_SIZE))
DB_POOL_TIMEOUT = env.float("DB_POOL_TIMEOUT", default=10.0)
# A down PostgreSQL is noticed in seconds: libpq gives up connecting after this, and the pool
# checks a connection before lending it (a restart costs the requests in flight, not the next ones).
DB_CONNECT_TIMEOUT = env.int("DB_CONNECT_TIMEOUT", default=2)


def configure_postgres(db: dict) -> dict:
    """Turn on psycopg 3's connection pool for a PostgreSQL entry of ``DATABASES``."""
    if db["ENGINE"] in ("django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"):
        db["ENGINE"] = "django.db.backends.postgresql"
        db["CONN_MAX_AGE"] = 0  # the pool owns connection lifetime; persistent conns conflict with it
        db["CONN_HEALTH_CHECKS"] = True  # with the pool: check a connection before lending it (psycopg_pool)
        options = db.setdefault("OPTIONS", {})
        if env.bool("DB_POOL", default=True):
            options["pool"] = {
                "min_size": DB_POOL_MIN_SIZE,
                "max_size": DB_POOL_MAX_SIZE,
                "timeout": DB_POOL_TIMEOUT,
            }
        options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
    return db


configure_postgres(DATABASES["default"])
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = configure_postgres(env.db("DATABASE_REPLICA_URL"))
    DATABASE_ROUTERS = ["apps.core.db_router.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# --- Cache, token store ---------------------------------------------------------------------
# Three Redis roles (docs/operations.md "Redis roles"): REDIS_URL is the cache (evictable:
# maxmemory + allkeys-lru); TOKEN_STORE_URL holds refresh tokens and the login rate limits, and
# ANALYTICS_REDIS_URL the analytics stream (both persistent, noeviction). One Redis may serve all
# three in development; production gives each its own.
REDIS_URL = env("REDIS_URL", default="")
TOKEN_STORE_URL = env("TOKEN_STORE_URL", default=REDIS_URL)
ANALYTICS_REDIS_URL = env("ANALYTICS_REDIS_URL", default=REDIS_URL)
# A dead cache costs one short timeout per breaker interval per process (apps/core/cache.py).
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.5)
CACHE_BREAKER_SECONDS = env.float("CACHE_BREAKER_SECONDS", default=5.0)


def redis_cache(url: str, *, alias: str, fail_closed: bool = False) -> dict:
    """A ``CACHES`` entry on Redis through apps.core.cache.ResilientRedisCache (errors -> misses)."""
    return {
        "BACKEND": "apps.core.cache.ResilientRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="bazaar"),
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "SOCKET_CONNECT_TIMEOUT": CACHE_SOCKET_TIMEOUT,
            "SOCKET_TIMEOUT": CACHE_SOCKET_TIMEOUT,
            "ALIAS": alias,
            "FAIL_CLOSED": fail_closed,
            "BREAKER_SECONDS": CACHE_BREAKER_SECONDS,
        },
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL, alias="default")}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The login endpoints' rate limits must not reset when the cache is flushed or evicted: they live
# in the token store's Redis and fail closed (503 token_store_unavailable) when it is down.
if TOKEN_STORE_URL:
    CACHES["tokens"] = redis_cache(TOKEN_STORE_URL, alias="tokens", fail_closed=True)
else:
    CACHES["tokens"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tokens"}

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="bazaar")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# Publishing (the outbox, beat) must fail fast when the broker is down: one connection attempt
# with a short timeout, no retry loop (kombu otherwise retries until the connect timeout expires
# on every publish). The outbox keeps what could not be sent; workers reconnect on their own
# (broker_connection_retry), unaffected by these publish options.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=1.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 0,
    "connect_retries_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    # Redis/SQS brokers only: a task unacknowledged this long (its worker was killed) is delivered
    # again. RabbitMQ redelivers at once when the worker's connection drops.
    "visibility_timeout": env.int("CELERY_BROKER_VISIBILITY_TIMEOUT", default=3600),
}
CELERY_TASK_PUBLISH_RETRY = False
# A worker serves its task metrics for Prometheus on this port (0 = off); see docs/operations.md.
CELERY_METRICS_PORT = env.int("CELERY_METRICS_PORT", default=0)
CELERY_METRICS_ADDR = env("CELERY_METRICS_ADDR", default="0.0.0.0")  # noqa: S104 - inside the private network

# --- Auth -----------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Request bodies: 10 MiB for uploads handled in memory before they spill to disk; above this 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Bazaar <no-reply@bazaar.local>")

# --- REST framework -------------------------------------------------------------------------
# Trusted reverse proxies in front of the app (each appends to X-Forwarded-For). 0: use REMOTE_ADDR.
# One rule for throttles, lockouts, metrics and analytics: apps.core.client_ip.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "apps.core.parsers.JSONParser",
        "apps.core.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "apps.core.schema.BazaarAutoSchema",
    "EXCEPTION_HANDLER": "apps.core.errors.api_exception_handler",
    # Every API view: per address when anonymous, per user when signed in (apps/core/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": ["apps.core.throttling.AnonRateThrottle", "apps.core.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", default="120/min"),
        "user": env("THROTTLE_USER", default="600/min"),
        "auth": env("THROTTLE_AUTH", default="20/min"),
        "tenant_create": env("THROTTLE_TENANT_CREATE", default="10/hour"),
        "invitations": env("THROTTLE_INVITATIONS", default="60/hour"),
    },
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "NUM_PROXIES": NUM_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "REDOC_DIST": "SIDECAR",
    "TITLE": "Bazaar API",
    "DESCRIPTION": (
        "Multi-tenant commerce: accounts, shops, catalog, carts and orders, analytics.\n\n"
        "**New here? Read [Getting started](/api/v1/docs/getting-started/)**: a token, the shop's path, "
        "a first call, paging, errors and idempotent retries."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Our PATCH serializers say themselves which fields are optional (MemberUpdate requires role).
    "COMPONENT_SPLIT_PATCH": False,
    # Choice sets whose field name other components also use ("kind").
    "ENUM_NAME_OVERRIDES": {
        "VoucherKindEnum": "apps.promotions.models.VoucherKind",
        "ProductStatusEnum": "apps.catalog.models.ProductStatus",
        "OrderExportKindEnum": "apps.orders.models.OrderExportKind",
        "OrderExportStatusEnum": "apps.orders.models.OrderExportStatus",
    },
    # Every operation documents the error contract (apps/core/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.core.schema.add_error_responses",
        "apps.core.schema.keep_json_bodies",
        "apps.core.schema_links.add_links",
        "apps.core.schema_tags.assign_tags",
    ],
}

# --- Observability --------------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOG_FORMAT = env("LOG_FORMAT", default="json")  # "json" or "console"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "apps.core.logging.ContextFilter"}},
    "formatters": {
        "json": {"()": "apps.core.logging.JsonFormatter"},
        "console": {"()": "apps.core.logging.ConsoleFormatter"},
    },
    "handlers": {
        "default": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["default"], "level": LOG_LEVEL},
    "loggers": {
        # our access log replaces Django's own request/server lines
        "django.server": {"handlers": [], "propagate": False},
        "django.request": {"handlers": [], "propagate": False},
        # Python warnings (captured in CoreConfig.ready) go through our handler once, like everything else.
        "py.warnings": {"handlers": ["default"], "propagate": False},
    },
}
SENTRY_DSN = env("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", default="development")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
SENTRY_RELEASE = env("SENTRY_RELEASE", default="")
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])

# --- Security baseline (production tightens) ------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-free meta tag; see base.html
CONTENT_SECURITY_POLICY = env(
    "CONTENT_SECURITY_POLICY",
    default=(
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
)

# --- allauth ----------------------------------------------------------------------------------
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_ADAPTER = "apps.accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "apps.accounts.forms.SignupExtraForm"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# axes is the one lockout mechanism (pages and API alike); allauth's own failed-login limit is off.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "apps.accounts.adapter.MFAAdapter"  # TOTP secrets encrypted at rest
# Email and two-factor changes ask for the password (or a code) again unless it was given in the
# last ACCOUNT_REAUTHENTICATION_TIMEOUT seconds (300); so do our destructive pages.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
MFA_REAUTHENTICATION_REQUIRED = True
# The two-factor step of the HTML login shares the axes lockout with the API (apps/accounts/mfa_forms.py).
MFA_FORMS = {"authenticate": "apps.accounts.mfa_forms.LockoutAwareAuthenticateForm"}

# --- axes (login lockout) -------------------------------------------------------------------
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "apps.core.client_ip.get_client_ip"
AXES_USERNAME_FORM_FIELD = "login"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_USERNAME_CALLABLE = "apps.accounts.lockout.get_attempt_username"
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.lockout_response"
# Per account, from any addresses: a second, higher threshold (apps/accounts/lockout.py).
AXES_HANDLER = "apps.accounts.lockout.AccountLockoutHandler"
ACCOUNT_LOCKOUT_FAILURE_LIMIT = env.int("ACCOUNT_LOCKOUT_FAILURE_LIMIT", default=30)

# --- JWT ------------------------------------------------------------------------------------
JWT_ACCESS_LIFETIME_WEB = timedelta(minutes=env.int("JWT_ACCESS_MINUTES_WEB", default=5))
JWT_ACCESS_LIFETIME_MOBILE = timedelta(minutes=env.int("JWT_ACCESS_MINUTES_MOBILE", default=15))
JWT_REFRESH_LIFETIME = timedelta(days=env.int("JWT_REFRESH_DAYS", default=7))
JWT_SIGNING_KEY = env("JWT_SIGNING_KEY", default=SECRET_KEY)
SIMPLE_JWT = {
    "ALGORITHM": "HS256",
    "SIGNING_KEY": JWT_SIGNING_KEY,
    "ACCESS_TOKEN_LIFETIME": JWT_ACCESS_LIFETIME_WEB,
    "REFRESH_TOKEN_LIFETIME": JWT_REFRESH_LIFETIME,
    "USER_ID_FIELD": "public_id",
    "USER_ID_CLAIM": "sub",
    "AUTH_HEADER_TYPES": ("Bearer",),
}
CSRF_FAILURE_VIEW = "apps.core.views.csrf_failure"

# --- accounts ---
# Field encryption keys (apps.core.crypto): comma-separated Fernet keys, current first. Empty means
# one key derived from SECRET_KEY (development only; production settings require the variable).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])

# --- analytics ---
ANALYTICS_STREAM = env("ANALYTICS_STREAM", default="analytics:events")
ANALYTICS_MAX_BODY_BYTES = env.int("ANALYTICS_MAX_BODY_BYTES", default=256 * 1024)
ANALYTICS_MAX_EVENT_AGE_DAYS = env.int("ANALYTICS_MAX_EVENT_AGE_DAYS", default=7)
ANALYTICS_RATE_TENANT_EVENTS_PER_MIN = env.int("ANALYTICS_RATE_TENANT_EVENTS_PER_MIN", default=60_000)
ANALYTICS_RATE_IP_REQUESTS_PER_MIN = env.int("ANALYTICS_RATE_IP_REQUESTS_PER_MIN", default=600)
# One address or one visitor may spend only a small share of a tenant's event budget.
ANALYTICS_RATE_IP_EVENTS_PER_MIN = env.int("ANALYTICS_RATE_IP_EVENTS_PER_MIN", default=600)
ANALYTICS_RATE_VISITOR_EVENTS_PER_MIN = env.int("ANALYTICS_RATE_VISITOR_EVENTS_PER_MIN", default=300)
ANALYTICS_STREAM_MAXLEN = env.int("ANALYTICS_STREAM_MAXLEN", default=1_000_000)  # approximate cap of the Redis stream
ANALYTICS_STREAM_BREAKER_SECONDS = env.float(
    "ANALYTICS_STREAM_BREAKER_SECONDS", default=5.0
)  # after a stream Redis error, ingest stores directly for this long
# Stream entries read by a drain that died unacknowledged are reclaimed after this idle time.
ANALYTICS_RECLAIM_IDLE_MS = env.int("ANALYTICS_RECLAIM_IDLE_MS", default=60_000)

# --- page cache (apps/core/page_cache.py, docs/performance.md) --------------------------------
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_PATH_PREFIXES = env.list("PAGE_CACHE_PATH_PREFIXES", default=["/s/"])  # anonymous GETs only

# --- catalog --------------------------------------------------------------------------------
CATALOG_MAX_IMAGE_BYTES = env.int("CATALOG_MAX_IMAGE_BYTES", default=8 * 1024 * 1024)  # 413 above
CATALOG_MAX_IMAGE_PIXELS = env.int("CATALOG_MAX_IMAGE_PIXELS", default=40_000_000)  # decompression-bomb guard
CATALOG_MAX_IMPORT_BYTES = env.int("CATALOG_MAX_IMPORT_BYTES", default=25 * 1024 * 1024)  # CSV uploads, 413 above
# CSV image_urls: seconds per image; private/loopback/link-local hosts refused unless allowed (tests).
CATALOG_IMAGE_FETCH_TIMEOUT = env.int("CATALOG_IMAGE_FETCH_TIMEOUT", default=10)
CATALOG_IMAGE_FETCH_ALLOW_PRIVATE = env.bool("CATALOG_IMAGE_FETCH_ALLOW_PRIVATE", default=False)

# --- tenants --------------------------------------------------------------------------------
TENANT_INVITATIONS_PER_HOUR = env.int("TENANT_INVITATIONS_PER_HOUR", default=50)  # per tenant, against abuse
TENANT_INVITATION_RETENTION_DAYS = env.int("TENANT_INVITATION_RETENTION_DAYS", default=30)  # closed ones

# --- orders ---------------------------------------------------------------------------------
# --- security (issue 10) --------------------------------------------------------------------
# /admin/ only from these networks (comma-separated CIDRs); empty allows any address.
ADMIN_ALLOWED_NETWORKS = env.list("ADMIN_ALLOWED_NETWORKS", default=[])
# Erasures (account or shop) wait this long, cancellable from the email, before they run.
PRIVACY_ERASURE_GRACE_MINUTES = env.int("PRIVACY_ERASURE_GRACE_MINUTES", default=24 * 60)


# --- payments -------------------------------------------------------------------------------
# Stripe's API address: https://api.stripe.com in production, localstripe on 127.0.0.1 in tests.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="https://api.stripe.com")
STRIPE_WEBHOOK_TOLERANCE_SECONDS = env.int("STRIPE_WEBHOOK_TOLERANCE_SECONDS", default=300)  # older -> 400
STRIPE_TIMEOUT_SECONDS = env.int("STRIPE_TIMEOUT_SECONDS", default=10)  # per provider call

# --- Celery beat: every periodic task, in one place ------------------------------------------
CELERY_BEAT_SCHEDULE: dict = {
    # core: idempotency records; the transactional outbox (apps/core/outbox.py) publishes what the
    # broker missed and forgets what it took.
    "core-purge-processed-messages": {
        "task": "core.purge_processed_messages",
        "schedule": timedelta(hours=24),
        "kwargs": {"days": 30},
    },
    "core-relay-outbox": {"task": "core.relay_outbox", "schedule": timedelta(seconds=15)},
    "core-purge-outbox": {"task": "core.purge_outbox", "schedule": timedelta(hours=6), "kwargs": {"days": 1}},
    # tenants
    "tenants-purge-closed-invitations": {
        "task": "tenants.purge_closed_invitations",
        "schedule": timedelta(hours=24),
        "kwargs": {"days": TENANT_INVITATION_RETENTION_DAYS},
    },
    # promotions: a sale starting or ending bumps its shop's catalog version within the minute
    # (cached storefront pages change then)
    "promotions-announce-sales": {"task": "promotions.announce_sales", "schedule": 60.0},
    # and a safety net for the stored sale prices sorting and price filters use (writes only what changed)
    "promotions-reconcile-sale-prices": {
        "task": "promotions.reconcile_sale_prices",
        "schedule": timedelta(minutes=15),
    },
    # orders and payments
    "orders-expire-carts": {"task": "orders.expire_carts", "schedule": timedelta(hours=1)},
    "orders-delete-old-exports": {"task": "orders.delete_old_exports", "schedule": timedelta(hours=1)},
    "payments-expire-unpaid-card-orders": {
        "task": "payments.expire_unpaid_card_orders",
        "schedule": timedelta(minutes=1),
    },
    # analytics
    "analytics-drain-events": {"task": "analytics.drain_events", "schedule": 5.0},
    "analytics-rebuild-rollups": {"task": "analytics.rebuild_rollups", "schedule": 60.0},
    "analytics-ensure-partitions": {"task": "analytics.ensure_partitions", "schedule": 6 * 3600.0},
    "analytics-enforce-retention": {"task": "analytics.enforce_retention", "schedule": 24 * 3600.0},
    "analytics-run-due-erasures": {"task": "analytics.run_due_erasures", "schedule": 60.0},
}
