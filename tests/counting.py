"""Spies for tests that prove a warm page skips work: which forms it builds, which cache
version tokens it reads and in how many round trips."""

from __future__ import annotations

from django.core.cache import cache


def count_builds(monkeypatch, module, name: str) -> list[int]:
    """Replace the class `module.<name>` with a subclass that notes each instance built;
    returns the notes (one entry per instance)."""
    built: list[int] = []
    real = getattr(module, name)

    class Counting(real):
        def __init__(self, *args, **kwargs):
            built.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(module, name, Counting)
    return built


def record_token_reads(monkeypatch) -> list[list[str]]:
    """From now on, each `cache.get_many` adds the sorted keys of the version tokens
    (slecop.cache) it reads to the returned list: one entry per round trip, empty for a
    round trip that reads no token."""
    reads: list[list[str]] = []
    real = cache.get_many

    def get_many(keys, *args, **kwargs):
        keys = list(keys)
        reads.append(sorted(key for key in keys if key.startswith("v:")))
        return real(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", get_many)
    return reads


READS = ("get", "get_many", "has_key")


def record_cache_reads(monkeypatch) -> list[str]:
    """From now on, the name of each read of the default cache (get, get_many, has_key) is
    added to the returned list: one entry per round trip to Redis in production. Only the
    outermost call counts (the in-memory test cache's get_many calls its get)."""
    trips: list[str] = []
    depth: list[int] = []

    def spy(name):
        real = getattr(cache, name)

        def call(*args, **kwargs):
            if not depth:
                trips.append(name)
            depth.append(1)
            try:
                return real(*args, **kwargs)
            finally:
                depth.pop()

        monkeypatch.setattr(cache, name, call)

    for name in READS:
        spy(name)
    return trips
