"""The Redis cache backend keeps one client per connection pool (slecop/redis_cache.py)
and behaves as Django's own backend."""

from __future__ import annotations

import pytest
from django.conf import settings

from slecop.redis_cache import SharedClientRedisCache

pytestmark = pytest.mark.redis


@pytest.fixture
def backend():
    cache = SharedClientRedisCache(settings.REDIS_URL, {"KEY_PREFIX": "test-redis-cache"})
    yield cache
    cache.delete_many(["a", "b", "c"])


def test_one_client_serves_every_operation(backend):
    client = backend._cache.get_client()
    assert backend._cache.get_client("a", write=True) is client
    backend.set("a", {"x": 1})
    assert backend._cache.get_client() is client


def test_it_reads_and_writes_as_django_s_backend(backend):
    backend.set("a", {"x": 1}, 60)
    backend.set_many({"b": [1, 2], "c": "three"}, 60)
    assert backend.get("a") == {"x": 1}
    assert backend.get_many(["a", "b", "c", "missing"]) == {
        "a": {"x": 1},
        "b": [1, 2],
        "c": "three",
    }
    assert backend.add("a", "other") is False
    backend.delete("a")
    assert backend.get("a", "gone") == "gone"
