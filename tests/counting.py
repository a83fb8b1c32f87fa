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
