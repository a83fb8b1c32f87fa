"""A spy for tests that prove a warm page skips work: which forms it builds."""

from __future__ import annotations


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
