"""Production: everything from the environment; passes `manage.py check --deploy`."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
# One database connection per worker, kept between requests (and checked before reuse)
# instead of a new one for every request. Nothing is PREPAREd on it, so a migration that
# changes a column type never breaks an old worker's connection, and a pooler in
# transaction mode (PgBouncer) works. A DATABASE_URL with ?conn_max_age= still wins.
if "conn_max_age" not in env.str("DATABASE_URL", default=""):
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
SECRET_KEY = env("DJANGO_SECRET_KEY")  # required: no default in production
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

SLECOP_REQUIRE_MFA_FOR_STAFF = env.bool("SLECOP_REQUIRE_MFA_FOR_STAFF", default=True)
# Never let leads "pay" through the test simulator on the real site (a staging site may
# opt in with PAYMENTS_SIMULATOR=1).
PAYMENTS_SIMULATOR = env.bool("PAYMENTS_SIMULATOR", default=False)

STORAGES = {
    "default": {
        "BACKEND": env(
            "DEFAULT_FILE_STORAGE", default="django.core.files.storage.FileSystemStorage"
        )
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
