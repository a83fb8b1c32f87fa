"""Settings shared by every environment.

Everything that differs between machines comes from the environment (see README,
"Configuration"): DATABASE_URL, REDIS_URL, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET,
DJANGO_SECRET_KEY, ALLOWED_HOSTS, EMAIL_URL, SITE_URL, BALLOT_SEALING_KEY.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdef")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "slecop.admin_site.PortalAdminConfig",  # django.contrib.admin, with the portal's guards
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "slecop",
    "members",
    "governance",
    "elections",
    "convenings",
    "resources",
    "measurement",
    "renewals",
    "community",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "slecop.headers.PrivateContentMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "slecop.middleware.RejectNulBytesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "slecop.middleware.StaffMFARequiredMiddleware",
    "slecop.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "slecop.urls"
WSGI_APPLICATION = "slecop.wsgi.application"

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
                "slecop.context_processors.portal",
            ],
            # `|seed_name` on every template: seeded names in the reader's language
            "builtins": ["slecop.templatetags.seed_names"],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "members.auth_backends.ModelBackend",  # permissions in one query
    "members.auth_backends.AuthenticationBackend",  # allauth's, the user in one statement
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "members:my_ecosystem"
LOGOUT_REDIRECT_URL = "home"

# --- django-allauth: one account per email, no usernames --------------------------------
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[SLECoP] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
# One address per account, changed through allauth's change-email flow: a new address
# (asked for by the person or by staff in the admin) takes effect only once it confirms,
# and the old address is told (security notices: address, password and MFA changes).
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Password resets go only to an address that controls the account (not to a pending one).
ACCOUNT_FORMS = {"reset_password": "members.forms.VerifiedAddressResetPasswordForm"}
# Rate limits (allauth, kept in the cache — Redis in production, so shared by every
# gunicorn worker). Stated here rather than left to allauth's defaults so a reviewer sees
# them: 5 failed sign-ins per account per 5 minutes (and 10 a minute per IP) lock the form
# with a 429 page; password resets and sign-ups are limited per IP and per address.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/300s/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "SLECoP portal"
# Staff (is_staff) accounts must enrol TOTP before using staff pages. On in prod, off in
# dev so the demo staff login stays one step.
SLECOP_REQUIRE_MFA_FOR_STAFF = env.bool("SLECOP_REQUIRE_MFA_FOR_STAFF", default=False)

# --- django-guardian -------------------------------------------------------------------
ANONYMOUS_USER_NAME = None  # no guardian anonymous user: anonymous visitors hold no perms
GUARDIAN_RAISE_403 = False

# --- i18n ---------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English times as "11:59 AM" (Django's "a.m." doubled the period at a sentence's end).
FORMAT_MODULE_PATH = ["slecop.formats"]
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

# --- static and media --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- email -------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="SLECoP portal <portal@stemecosystems.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STAFF_NOTIFICATION_EMAIL = env("STAFF_NOTIFICATION_EMAIL", default="ties-staff@stemecosystems.org")

# --- cache and Celery --------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "slecop",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# With no broker configured, tasks run in-process at once (the embedded default).
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {
    # The daily renewals cycle: open invoices, reminders, lapses, Monday staff digest.
    # Each step catches up on days the scheduler missed and never repeats itself.
    "renewals-daily": {
        "task": "renewals.tasks.run_renewals",
        "schedule": crontab(hour=6, minute=15),
    },
    # governance: the "Stewardship team" group follows office terms (idempotent, catches up)
    "governance-sync-stewardship-team": {
        "task": "governance.sync_stewardship_team",
        "schedule": crontab(hour=0, minute=20),
    },
    # convenings: release paid extra seats held 30 minutes without payment (idempotent)
    "convenings-release-expired-holds": {
        "task": "convenings.tasks.release_expired_holds",
        "schedule": crontab(minute="*/5"),
    },
    # convenings: remind leads of a convening starting within two weeks (once; catches up)
    "convenings-remind-upcoming": {
        "task": "convenings.tasks.remind_upcoming",
        "schedule": crontab(hour=8, minute=30),
    },
    # elections: remind leads who have not voted (once per election and ISO week; catches up)
    "elections-remind-non-voters": {
        "task": "elections.tasks.remind_all_open",
        "schedule": crontab(hour=9, minute=0),
    },
    # elections: nominations and voting open (00:00) and close (23:59) by themselves on the
    # published dates, America/New_York (idempotent; a missed minute is caught up)
    "elections-run-schedule": {
        "task": "elections.tasks.run_schedule",
        "schedule": crontab(minute="*"),
    },
    # members: onboarding ecosystems whose checklist other apps completed turn active
    "members-activate-completed-onboardings": {
        "task": "members.tasks.activate_completed_onboardings",
        "schedule": crontab(minute=40),
    },
    # community: weekly news digest to leads (keyed by ISO week; a missed Monday is caught
    # up by the daily run later that week, and never sent twice)
    "community-announcement-digest": {
        "task": "community.tasks.send_announcement_digest",
        "schedule": crontab(hour=7, minute=0),
    },
    # measurement: yearly indicator report reminders (Oct 1, Dec 1; catches up, never twice)
    "measurement-report-reminders": {
        "task": "measurement.tasks.remind_indicator_reports",
        "schedule": crontab(hour=7, minute=5),
    },
}

# --- Stripe ------------------------------------------------------------------------------
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")  # tests point this at a local fake
STRIPE_WEBHOOK_TOLERANCE = 300  # seconds; older signed timestamps are refused as replays
# Without a Stripe key, leads pay through a clearly labelled local simulator (no money
# moves). Production turns it off (settings/prod.py) unless explicitly allowed.
PAYMENTS_SIMULATOR = env.bool("PAYMENTS_SIMULATOR", default=True)

# --- elections: ballot sealing ----------------------------------------------------------
# While voting is open, ballot contents are stored only sealed (AES-256-GCM) under this key:
# 32 random bytes, base64. From the environment only, never the database; without it voting
# cannot open. Generate one with
#   python -c "import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())"
# and change it between elections (docs/elections.md). dev and test settings fall back to
# the development key below; `check --deploy` refuses that key (elections/checks.py).
BALLOT_SEALING_KEY = env("BALLOT_SEALING_KEY", default="")
# NOT A SECRET: printed here for development machines and tests only.
DEVELOPMENT_BALLOT_SEALING_KEY = "REVWRUxPUE1FTlQtT05MWS1LRVktTk9ULVNFQ1JFVCE="

# --- portal ------------------------------------------------------------------------------
DIRECTORY_PAGE_SIZE = 24
# Home, directory and library pages kept whole for anonymous visitors (slecop/cache.py):
# at most this many seconds, less when the rows they show change. 0: off.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=60)
INVITATION_VALID_DAYS = 14

# Sessions are read from the cache (Redis in production) and written through to the
# database: one query less on every signed-in page, and nothing lost if Redis restarts.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# The language cookie is read by Django only (never by a script); Secure in prod.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# The reverse proxies in front of the site (a TLS terminator, a load balancer), each of
# which appends the address it received the request from to X-Forwarded-For and sets
# X-Forwarded-Proto. 0 (default): the site faces clients directly, so both headers are
# whatever the client sent and neither is trusted: allauth's rate limits per IP use the
# connection's address, and https is only what the connection was. With N ≥ 1, allauth
# takes the N-th entry from the end of X-Forwarded-For (the one the outermost trusted
# proxy saw) and Django trusts X-Forwarded-Proto for is_secure(). Setting it higher than
# the real number of proxies lets any client choose its own address for the rate limits.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
if TRUSTED_PROXY_COUNT >= 1:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): no inline or third-party scripts anywhere; inline
# style attributes are tolerated (server-rendered SVG charts use them). Stripe Checkout is
# the only other origin a form may lead to.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF, "https://checkout.stripe.com"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- dues ---------------------------------------------------------------------------------
# Defaults for a new MembershipYear (staff can change each year in the admin).
DUES_DEFAULT_CENTS = env.int("DUES_DEFAULT_CENTS", default=300_000)  # seed 000: $3,000
DUES_CURRENCY = "USD"
DUES_INVOICES_OPEN = (12, 1)  # month, day of the previous year
DUES_DUE = (1, 31)  # month, day of the membership year
DUES_GRACE_DAYS = 60
DUES_MIN_DAYS_TO_PAY = 30  # an invoice issued late in the year is due no sooner than this
INVOICE_NUMBER_PREFIX = "SLE"

# --- resource library (resources app; docs/resources.md) -------------------------------------
# Library files are private: stored outside MEDIA_ROOT and served only by the download view,
# which checks visibility. PRIVATE_MEDIA_ROOT defaults to "<MEDIA_ROOT>-private" (beside
# media/, never under MEDIA_URL). For S3: RESOURCES_STORAGE_BACKEND=storages.backends.s3.S3Storage
# and RESOURCES_STORAGE_OPTIONS='{"bucket_name": "…", "default_acl": "private", …}' (JSON).
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default="")
RESOURCES_STORAGE = {
    "BACKEND": env(
        "RESOURCES_STORAGE_BACKEND", default="resources.storage.PrivateFileSystemStorage"
    ),
    "OPTIONS": env.json("RESOURCES_STORAGE_OPTIONS", default={}),
}
RESOURCES_MAX_UPLOAD_BYTES = env.int("RESOURCES_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
# File types the library accepts, checked by content (resources/validators.py knows these).
RESOURCES_ALLOWED_FILE_TYPES = [
    *("pdf", "docx", "xlsx", "pptx"),
    *("png", "jpg", "gif", "webp"),
    *("csv", "zip"),
]
RESOURCES_PAGE_SIZE = 20
RESOURCES_GRANTS_SOON_DAYS = 60
