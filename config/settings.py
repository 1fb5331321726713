"""Settings for the election-night site, read from environment variables.

DJANGO_DEBUG          "1"/"true" turns debug on; off by default.
DJANGO_SECRET_KEY     required unless debugging, and strong (config.secret_key).
DATABASE_URL          defaults to a SQLite file beside manage.py.
DJANGO_ALLOWED_HOSTS  comma-separated; defaults to localhost names when debugging.
REDIS_URL             the cache: Redis when set (shared by every app server), else local
                      memory in each process.
DJANGO_SECURE_SSL_REDIRECT, DJANGO_SECURE_COOKIES
                      on by default when not debugging; set to 0 only to serve plain
                      HTTP on loopback (benchmarks, load tests).
DJANGO_TRUST_X_FORWARDED_PROTO
                      1 behind a proxy that terminates TLS and sets X-Forwarded-Proto.
DJANGO_TRUSTED_PROXIES
                      how many proxies in front append to X-Forwarded-For (1 when
                      DJANGO_TRUST_X_FORWARDED_PROTO is set, else 0): where the login
                      lockout reads a client's address (config.client_address).
DJANGO_TRUSTED_PROXY_ADDRESSES
                      comma-separated addresses or networks of those proxies
                      (127.0.0.1,::1): X-Forwarded-For from anyone else is ignored.
SITE_URL              the site's address, for absolute URLs: https:// and the first allowed
                      host by default.
HTTP_CACHES           the HTTP cache nodes purged after every change: comma-separated
                      URLs of Varnish nodes (http://127.0.0.1:8000); none by default.
HTTP_CACHE_SECONDS    how long an HTTP cache may keep a page, purges apart (600 s).
BROWSER_CACHE_SECONDS how long a browser may keep a page (5 s).
DATA_CACHE_SECONDS    without Redis, how long a process keeps the figures its pages read
                      before reading them again: the bound for another process's change
                      to reach its pages (1 s).
MEDIA_ROOT, MEDIA_URL where uploaded images are kept (media/ beside manage.py) and served.
MEDIA_STORAGE, MEDIA_STORAGE_OPTIONS
                      another storage backend for uploads (django-storages), and its
                      options as JSON; the site then serves no uploads itself.
"""

import json
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config import secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=()):
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or list(default)


DEBUG = env_flag("DJANGO_DEBUG")

# A key easy to guess would let anyone sign sessions and password-reset links: measured
# by strength, not length (config.secret_key), so that 40 times the same letter fails.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
MAKE_A_KEY = "Make one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(set DJANGO_DEBUG=1 for local development)."
        )
    SECRET_KEY = "django-insecure-local-development-only"
elif not DEBUG and SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY is Django's example key (django-insecure-...). {MAKE_A_KEY}"
    )
elif not DEBUG and (bits := secret_key.strength_bits(SECRET_KEY)) < secret_key.MIN_BITS:
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY is too weak: about {bits} bits (its {len(SECRET_KEY)} characters, "
        f"as often as each appears); at least {secret_key.MIN_BITS} are needed when "
        f"DJANGO_DEBUG is off. {MAKE_A_KEY}"
    )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
# Where readers find the site: every absolute address in a page (feeds, the sitemap,
# robots.txt, og:url) is built from it, never from the Host header a request carries.
NAMED_HOSTS = [host for host in ALLOWED_HOSTS if not host.startswith((".", "*"))]
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/") or (
    f"https://{NAMED_HOSTS[0]}" if NAMED_HOSTS and not DEBUG else "http://127.0.0.1:8000"
)

INSTALLED_APPS = [
    "config.admin.NewsroomAdminConfig",  # django.contrib.admin, lists checked
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_tables2",
    "ninja",  # the API's browsable docs from its own static files, not a CDN
    "results",
    "liveblog",
    "pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pages.middleware.PermissionsPolicyMiddleware",
    # Before anything that could read the body.
    "pages.middleware.RequestBodyLimitMiddleware",
    "pages.middleware.AcceptEncodingMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pages.middleware.DatabaseUnavailableMiddleware",
    "pages.middleware.OpenDataCorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite shared by several gunicorn workers and the desk's commands. WAL: readers
    # never block a writer, nor a writer them. IMMEDIATE: a transaction takes the write
    # lock as it begins, so one that read first waits its turn instead of failing with
    # "database is locked" (SQLite cannot wait for a lock it would have to upgrade). The
    # timeout (seconds) is how long to wait for it: many times the longest write of the
    # night (the national import, 0.7 s) with every worker queued behind it, and shorter
    # than gunicorn's 30 s worker timeout, so a wait that long ends as an error the desk
    # sees, not a killed worker.
    # synchronous=NORMAL is durable in WAL mode short of a power cut, and saves a sync
    # per commit.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Fail fast when Redis is away: figures are then worked out on every render.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# The figures kept for renders (pages.data_cache) follow other processes' changes through
# Redis; without it, they are worked out again every DATA_CACHE_SECONDS.
DATA_CACHE_SHARED = bool(REDIS_URL)
DATA_CACHE_SECONDS = float(os.environ.get("DATA_CACHE_SECONDS", "1"))
# The HTTP caches in front (pages.http_cache, pages.purge): the Varnish nodes (or a
# CDN's purge address) told of every change, and how long they and browsers keep a page.
HTTP_CACHES = env_list("HTTP_CACHES", default=[])
HTTP_CACHE_SECONDS = int(os.environ.get("HTTP_CACHE_SECONDS", "600"))
BROWSER_CACHE_SECONDS = int(os.environ.get("BROWSER_CACHE_SECONDS", "5"))
# How often an open county page asks for new posts.
LIVE_POLL_SECONDS = int(os.environ.get("LIVE_POLL_SECONDS", "15"))
# Double entry on the results desk, as news agencies run it: a seat is published when
# two desk members' own entries of it agree, or a supervisor publishes one alone.
RESULTS_DOUBLE_ENTRY = env_flag("RESULTS_DOUBLE_ENTRY")

# Security. Debugging serves plain HTTP on a developer's machine; everything else is HTTPS.
SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Varnish's health probe asks over plain HTTP on loopback, and wants a 200.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_flag("DJANGO_SECURE_COOKIES", default=not DEBUG)
if env_flag("DJANGO_TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Permissions-Policy (pages.middleware): the site uses none of these browser features.
PERMISSIONS_POLICY_DENIED = [
    "accelerometer",
    "ambient-light-sensor",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "hid",
    "interest-cohort",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
# Request bodies, by their Content-Length (pages.middleware): reader URLs and the API
# take none worth more than a form; the admin takes a post with several photos, each at
# most liveblog.uploads.MAX_BYTES (10 MB).
REQUEST_BODY_LIMIT = 1024 * 1024
ADMIN_REQUEST_BODY_LIMIT = 61 * 1024 * 1024
X_FRAME_OPTIONS = "DENY"
# Everything the pages load comes from this site; no inline scripts or styles.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Logging in: after AXES_FAILURE_LIMIT wrong passwords for one username from one address,
# that username is refused (429) from that address for AXES_COOLOFF_TIME, the right
# password included; the same username from another address is not, so nobody can lock
# an editor out from elsewhere. After AXES_ADDRESS_FAILURE_LIMIT failures from one
# address, whatever the usernames, that address is refused for every username
# (config.lockout). A success before then clears the username's count. Attempts are
# kept in the database, so every app server sees them. Unlock early:
# `python manage.py axes_reset_username NAME` (or axes_reset_ip ADDRESS).
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out attempt is refused before any password is checked. It needs
    # the request, which the admin's login form passes.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "config.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = 5
AXES_ADDRESS_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The 15 minutes run from the fifth failure: more guesses while locked do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "config.client_address.client_address"
TRUSTED_PROXIES = int(
    os.environ.get(
        "DJANGO_TRUSTED_PROXIES", "1" if env_flag("DJANGO_TRUST_X_FORWARDED_PROTO") else "0"
    )
)
# X-Forwarded-For is read only from these (addresses or networks): a client reaching
# gunicorn directly could write it itself.
TRUSTED_PROXY_ADDRESSES = [
    entry.strip()
    for entry in os.environ.get("DJANGO_TRUSTED_PROXY_ADDRESSES", "127.0.0.1,::1").split(",")
    if entry.strip()
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` writes (scripts/serve); another folder for a test's own server.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded images (liveblog.uploads): on the filesystem by default, served by the site
# itself under content-hashed names with far-future caching (config.media), debugging or
# not. MEDIA_STORAGE names another storage backend instead (django-storages, e.g.
# "storages.backends.s3.S3Storage", options as JSON in MEDIA_STORAGE_OPTIONS), and
# MEDIA_URL then its address; the site serves nothing itself.
MEDIA_URL = os.environ.get("MEDIA_URL", "media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "")
SERVE_MEDIA = not MEDIA_STORAGE
if "://" in MEDIA_URL:  # images from another host: let pages load them
    SECURE_CSP["img-src"].append(urlsplit(MEDIA_URL)._replace(path="").geturl())

STORAGES = {
    "default": {
        "BACKEND": MEDIA_STORAGE or "django.core.files.storage.FileSystemStorage",
        "OPTIONS": json.loads(os.environ.get("MEDIA_STORAGE_OPTIONS") or "{}"),
    },
    "staticfiles": {
        # Hashed, compressed names need `collectstatic`; debugging serves the files as they are.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
