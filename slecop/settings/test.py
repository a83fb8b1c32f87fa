"""Test settings: SQLite unless DATABASE_URL says otherwise; email kept in memory."""

from .base import *  # noqa: F403
from .base import DEVELOPMENT_BALLOT_SEALING_KEY, MIDDLEWARE, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"  # noqa: F405
STORAGES = {  # no manifest needed for tests
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
ACCOUNT_RATE_LIMITS = False
LOGGING = {"version": 1, "disable_existing_loggers": False}
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "templates"]  # noqa: F405
# Tasks run in-process in tests even when REDIS_URL is set (CI); the test that proves the
# broker path starts a real worker and turns eager mode off for itself.
CELERY_TASK_ALWAYS_EAGER = True
# Tests read the context of the pages they request; tests/test_cache.py turns it on.
PUBLIC_PAGE_CACHE_SECONDS = 0
# Connections kept between requests as production keeps them (CONN_MAX_AGE > 0).
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405

# The development ballot sealing key (base.py; not a secret) unless the environment sets one.
BALLOT_SEALING_KEY = env("BALLOT_SEALING_KEY", default=DEVELOPMENT_BALLOT_SEALING_KEY)
