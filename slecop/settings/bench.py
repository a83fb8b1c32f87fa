"""bench/load.py: the production settings with the benchmark's floor and probe views
mounted (slecop/bench_urls.py). Run over plain HTTP on 127.0.0.1, so no HTTPS redirect."""

from .prod import *  # noqa: F403
from .prod import env

ROOT_URLCONF = "slecop.bench_urls"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
