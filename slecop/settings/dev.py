"""Local development: the embedded default (SQLite, Celery eager, console email)."""

from .base import *  # noqa: F403
from .base import DEVELOPMENT_BALLOT_SEALING_KEY, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# The development ballot sealing key (base.py; not a secret) unless the environment sets one.
BALLOT_SEALING_KEY = env("BALLOT_SEALING_KEY", default=DEVELOPMENT_BALLOT_SEALING_KEY)
