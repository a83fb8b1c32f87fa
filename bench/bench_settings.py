"""Settings of bench/load.py's server: the development settings with DEBUG off and the
benchmark's floor and probe views mounted (bench/bench_urls.py). Never used by the site:
bench/load.py puts this directory on PYTHONPATH and names this module, so the same floor
and probes also mount on another checkout it compares with (`--compare`)."""

from slecop.settings.dev import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench_urls"
