"""Settings shared by every environment, read from the environment with embedded defaults."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from themes import THEMES

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))

# Sentinel that production settings refuse to start with.
INSECURE_DEFAULT_SECRET_KEY = "insecure-default-secret-key-for-development-only"
SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEFAULT_SECRET_KEY)
DEBUG = os.environ.get("DEBUG", "false").lower() in {"1", "true", "yes", "on"}
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

SITE_NAME = os.environ.get("SITE_NAME", "Find support near you")
WAGTAIL_SITE_NAME = SITE_NAME
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The admin must not call out: no avatars from gravatar.com (which would also send staff email
# hashes off-site) and no release checks; the CSP would block both anyway.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Nor a "what's new in Wagtail" banner on the dashboard when a release brings one back.
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

INSTALLED_APPS = [
    "portal.accounts",
    "portal",
    "directory",
    "search",
    "linkworkers",
    "openreferral",
    "themes",
    "wagtailnhsukfrontend",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.csp.CSPMiddleware",  # django-csp's, plus the nonce for Wagtail's inline scripts
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.StaffSessionLifetimeMiddleware",
    "portal.middleware.StaffMFAMiddleware",
    "portal.middleware.ThemeMiddleware",
    "portal.middleware.WagtailChooserInputMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Each theme's templates are namespaced by its key: "nhsuk/base.html", "council/base.html".
        "DIRS": [theme.template_dir for theme in THEMES.values()],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                "linkworkers.context_processors.linkworkers",
            ],
        },
    },
]

if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded SQLite database lives here
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]}
        if os.environ.get("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}
    )
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
WAGTAILADMIN_LOGIN_URL = "wagtailadmin_login_redirect"  # portal.views.admin_login
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
# allauth is the one way to sign in and to reset or change a password (it rate-limits them and
# asks for the second factor); Wagtail's own forms are switched off and their URLs redirected.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False

# django-allauth: sign in by email, verified addresses, rate-limited failures.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins: per IP address, and per account being tried.
    "login_failed": os.environ.get("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/5m/key"),
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Security keys (WebAuthn) are offered only where they are switched on: they need the site served
# over HTTPS at its final address, and someone to support them.
MFA_WEBAUTHN_ENABLED = os.environ.get("MFA_WEBAUTHN_ENABLED", "false").lower() in {"1", "true", "yes", "on"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", *(["webauthn"] if MFA_WEBAUTHN_ENABLED else [])]
MFA_TOTP_ISSUER = SITE_NAME
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
# URL prefixes that only staff reach, and the community groups' referral inbox; staff roles and
# referral readers there must have MFA, and this session must have passed it
# (portal.middleware.StaffMFAMiddleware, portal.roles.requires_mfa).
STAFF_URL_PREFIXES = ("/staff/", "/admin/", "/your-organisations/referrals/")
# Staff sessions end this long after signing in, and after this long without a request; everyone
# else keeps Django's two-week session.
STAFF_SESSION_MAX_AGE = int(os.environ.get("STAFF_SESSION_MAX_AGE", str(8 * 60 * 60)))
STAFF_SESSION_IDLE_TIMEOUT = int(os.environ.get("STAFF_SESSION_IDLE_TIMEOUT", str(30 * 60)))
# Flash messages name people ("Referral for Alex Tester accepted"): keep them server-side, not in a
# signed but readable cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "false").lower() in {"1", "true", "yes", "on"}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATICFILES_DIRS = [theme.static_dir for theme in THEMES.values()]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Celery: without a broker, tasks run in process (eagerly) so one machine needs nothing else.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_SERIALIZER = "json"
# A run of the test suite names its own queue so that no other worker on the same broker takes its tasks.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
from celery.schedules import crontab  # noqa: E402  (kept with the schedule it serves)

CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "portal.tasks.record_worker_heartbeat", "schedule": 60.0},
    # A safety net: changes recorded while the broker or the engine was down are applied within a
    # minute of both being back.
    "drain-search-outbox": {"task": "search.tasks.drain_outbox", "schedule": 60.0},
    # Zero-result searches are kept for SEARCH_ZERO_RESULT_RETENTION_DAYS only.
    "purge-zero-result-searches": {"task": "search.tasks.purge_zero_result_searches",
                                   "schedule": crontab(hour=3, minute=15)},
    # Mornings, so reminders about listings arrive while groups are around to answer them.
    "listing-review-reminders": {"task": "directory.tasks.send_listing_reminders",
                                 "schedule": crontab(hour=8, minute=30)},
}

# Listing freshness: a listing is due for review this many days after its last review; up to three
# reminders follow, this many days apart, and as long again after the third it sinks in search.
LISTING_REVIEW_INTERVAL_DAYS = int(os.environ.get("LISTING_REVIEW_INTERVAL_DAYS", "183"))
LISTING_REMINDER_INTERVAL_DAYS = int(os.environ.get("LISTING_REMINDER_INTERVAL_DAYS", "14"))
# How long the emailed one-click "still correct" link works.
LISTING_STILL_CORRECT_LINK_DAYS = int(os.environ.get("LISTING_STILL_CORRECT_LINK_DAYS", "30"))
# Told to a group's editor who sends a change: moderators usually review it within this many working
# days. Unset, no time is promised (set it to what the moderators actually keep to).
DIRECTORY_MODERATION_WORKING_DAYS = int(os.environ.get("DIRECTORY_MODERATION_WORKING_DAYS") or 0) or None
# Public feedback (problem reports, suggestions): submissions per address in the period; beyond
# that they are held back for moderators, and beyond twice that dropped.
FEEDBACK_RATE_LIMIT = int(os.environ.get("FEEDBACK_RATE_LIMIT", "5"))
FEEDBACK_RATE_LIMIT_PERIOD_SECONDS = int(os.environ.get("FEEDBACK_RATE_LIMIT_PERIOD_SECONDS", "3600"))

# Link workers. First contact is due this many days after a referral arrives (004:2209).
LINKWORKERS_FIRST_CONTACT_DAYS = int(os.environ.get("LINKWORKERS_FIRST_CONTACT_DAYS", "3"))
# The Social Prescribing Standard Model's 6-12 contacts per person.
LINKWORKERS_CONTACTS_NORM = (6, 12)
# A supervisor signs off every closure before it takes effect.
LINKWORKERS_CLOSURE_SIGN_OFF = os.environ.get("LINKWORKERS_CLOSURE_SIGN_OFF", "") in ("1", "true", "yes")
# SWEMWBS: an individual change of at least this many metric points is meaningful (Shah et al. 2018
# found 1-3 points statistically important; 3 is the usual threshold).
LINKWORKERS_SWEMWBS_MEANINGFUL_CHANGE = float(os.environ.get("LINKWORKERS_SWEMWBS_MEANINGFUL_CHANGE", "3"))
# How long a commissioner's or site admin's break-glass access to one record lasts.
LINKWORKERS_BREAK_GLASS_MINUTES = int(os.environ.get("LINKWORKERS_BREAK_GLASS_MINUTES", "30"))
# Who may break glass (besides superusers): the commissioners' and site administrators' groups of
# portal.roles, named here because linkworkers does not import portal.
LINKWORKERS_BREAK_GLASS_GROUPS = ["Commissioners", "Site administrators"]
# A group's referral figures (median days to answer, share taken on) are hidden below this many referrals.
LINKWORKERS_RESPONSE_FIGURES_MINIMUM = int(os.environ.get("LINKWORKERS_RESPONSE_FIGURES_MINIMUM", "5"))
# Commissioners' reports show a count of people from 1 to below this as "<8" (linkworkers.reports.suppression).
REPORTS_SUPPRESS_BELOW = int(os.environ.get("REPORTS_SUPPRESS_BELOW", "8"))
# ... and round every other count to the nearest this many.
REPORTS_ROUND_TO = int(os.environ.get("REPORTS_ROUND_TO", "5"))
# Public referral forms: referrals per address in the period before they are held for review.
LINKWORKERS_REFERRAL_RATE_LIMIT = int(os.environ.get("LINKWORKERS_REFERRAL_RATE_LIMIT", "5"))
LINKWORKERS_REFERRAL_RATE_LIMIT_PERIOD_SECONDS = int(
    os.environ.get("LINKWORKERS_REFERRAL_RATE_LIMIT_PERIOD_SECONDS", "3600")
)
# Shown at once when a referral form's screening questions indicate a crisis. Local services can
# replace or extend it (a local crisis line, say); each entry is a heading, a number and when to use it.
LINKWORKERS_CRISIS_ROUTE = [
    {"name": "Emergency services", "number": "999",
     "when": "If someone's life is at risk now, or they are seriously hurt or in danger."},
    {"name": "NHS 111, option 2", "number": "111",
     "when": "For urgent help with a mental health crisis, any time of day or night. Choose option 2."},
    {"name": "Samaritans", "number": "116 123",
     "when": "To talk to someone about anything, any time. Calls are free."},
]
# Sends a person their shortlist by text message: a class with send(to=, body=) and `available`. None is set up
# by default, so texts are refused, saying so; tests set a fake one, never a real provider.
LINKWORKERS_SMS_BACKEND = os.environ.get("LINKWORKERS_SMS_BACKEND", "linkworkers.shortlist.DisabledSmsBackend")
# How people reach the team, shown with the crisis numbers on the error pages (404, 500); either may be blank.
TEAM_CONTACT_PHONE = os.environ.get("TEAM_CONTACT_PHONE", "")
TEAM_CONTACT_EMAIL = os.environ.get("TEAM_CONTACT_EMAIL", "")
# Shown to whoever raises a safeguarding concern: who to tell and how.
LINKWORKERS_SAFEGUARDING_ROUTE = os.environ.get(
    "LINKWORKERS_SAFEGUARDING_ROUTE",
    "Tell your supervisor or the team's safeguarding lead today. If anyone is in immediate danger call 999. "
    "Adult safeguarding referrals go to the local authority's adult social care front door; "
    "concerns about a child go to the children's services front door.",
)

# Search engine: Elasticsearch when a cluster is configured, otherwise the embedded engine.
# One address or several, comma-separated. Credentials and a CA bundle for clusters with TLS and
# authentication on (search/backends/elasticsearch/connection.py).
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_API_KEY = os.environ.get("ELASTICSEARCH_API_KEY", "")
ELASTICSEARCH_USERNAME = os.environ.get("ELASTICSEARCH_USERNAME", "")
ELASTICSEARCH_PASSWORD = os.environ.get("ELASTICSEARCH_PASSWORD", "")
ELASTICSEARCH_CA_CERTS = os.environ.get("ELASTICSEARCH_CA_CERTS", "")
# The alias searched and written; its versioned indices are named after it. Installations sharing
# a cluster (staging beside production) give each its own.
ELASTICSEARCH_INDEX = os.environ.get("ELASTICSEARCH_INDEX", "directory")
# /healthz turns unavailable (503) when the oldest index change waiting in the outbox is older than this.
SEARCH_OUTBOX_MAX_AGE_SECONDS = int(os.environ.get("SEARCH_OUTBOX_MAX_AGE_SECONDS", "600"))
# Searches that found nothing (the commissioners' gap report) are deleted after this many days.
SEARCH_ZERO_RESULT_RETENTION_DAYS = int(os.environ.get("SEARCH_ZERO_RESULT_RETENTION_DAYS", "365"))
# One client address logs at most this many of them an hour; its searches go on working past it.
SEARCH_ZERO_RESULT_LOG_LIMIT = int(os.environ.get("SEARCH_ZERO_RESULT_LOG_LIMIT", "20"))
# /healthz shows its details (each check, the outbox backlog) to signed-in staff and to a request
# with "Authorization: Bearer <HEALTHZ_TOKEN>"; others see only ok or unavailable. Unset: no token works.
HEALTHZ_TOKEN = os.environ.get("HEALTHZ_TOKEN", "")
# Where the search pages read category names from (search itself imports no other part).
SEARCH_VOCABULARY = "directory.vocabulary.search_vocabulary"
# Place names ("Crowthorne") are geocoded by a geopy geocoder only if one is configured, e.g. a
# self-hosted Nominatim: PLACE_GEOCODER_URL=https://nominatim.internal. Postcodes never need it.
_geocoder_url = urlsplit(os.environ.get("PLACE_GEOCODER_URL", ""))
PLACE_GEOCODER = (
    {
        "class": os.environ.get("PLACE_GEOCODER_CLASS", "geopy.geocoders.Nominatim"),
        "options": {
            "domain": _geocoder_url.netloc + _geocoder_url.path.rstrip("/"),
            "scheme": _geocoder_url.scheme or "https",
            "user_agent": "social-prescribing-portal",
            "timeout": 3,
        },
    }
    if _geocoder_url.netloc
    else None
)
# The search map's background: a tile server URL template ({z}/{x}/{y}); none by default, so the map
# shows markers on a blank background and makes no requests. Its host must also be in img-src below.
SEARCH_MAP_TILE_URL = os.environ.get("SEARCH_MAP_TILE_URL", "") or None
SEARCH_MAP_ATTRIBUTION = os.environ.get("SEARCH_MAP_ATTRIBUTION", "")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# The Open Referral UK API (openreferral/): requests a minute from one client address, and the
# OpenAPI document drf-spectacular generates from its views.
OPENREFERRAL_RATE_LIMIT = int(os.environ.get("OPENREFERRAL_RATE_LIMIT", "300"))
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
# Listings another directory keeps (imported from its feed and not claimed here): no review reminders.
LISTINGS_MAINTAINED_ELSEWHERE = "openreferral.importer.provenance.services_maintained_elsewhere"
# Who keeps an imported listing, for its page ("Listed by ..."): None for listings kept here.
LISTING_KEPT_BY = "openreferral.importer.provenance.listed_by"

# Content-Security-Policy: no inline scripts anywhere, the admin included; a per-request nonce where
# one is unavoidable (Wagtail's admin renders a few inline scripts). portal.csp.CSPMiddleware adds
# to this policy for the admin only: see ADMIN_POLICY_UPDATE there.
from csp.constants import NONCE  # noqa: E402  (kept with the policy it serves)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Wagtail logs every page action and background task at INFO; keep the console readable.
    "loggers": {name: {"level": "WARNING"} for name in ("wagtail", "django_tasks", "modelsearch")},
}

# Behind the reverse proxy every visitor arrives with the proxy's address: the client's address is
# the X-Forwarded-For entry written by the outermost of this many proxies under our control, or the
# header a trusted proxy sets (e.g. X-Real-IP). 0 (the default) ignores the header, which anyone can
# forge. allauth reads these for sign-in limits; search.ratelimit for every other per-address limit
# and the audit trail, so all of them see the same address.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER") or None

# Request bodies are bounded: a form post over 2.5 MB, or with more than DATA_UPLOAD_MAX_NUMBER_FIELDS
# fields (10,000 above, for Wagtail's largest editing forms), is refused with 400 before a view reads
# it. Public forms post a few kilobytes; the largest legitimate bodies are Wagtail page edits.
# Uploaded files do not count towards that limit; above 2.5 MB one is streamed to a temporary file
# instead of memory, and the proxy's own body limit (client_max_body_size) caps its total size.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# The access log of refused attempts to reach a case record (linkworkers.middleware): written for
# every refusal; read whole by superusers and these groups (portal.checks keeps them portal.roles'
# site administrators), and by supervisors for their own teams' records.
LINKWORKERS_ACCESS_LOG_GROUPS = ["Site administrators"]
MIDDLEWARE += ["linkworkers.middleware.AccessLogMiddleware"]
# Organisation editors' view of the Wagtail admin: nothing of other organisations' drafts or editors.
MIDDLEWARE += ["directory.middleware.EditorScopeMiddleware"]
