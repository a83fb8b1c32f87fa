"""The portal context processor runs on every page: its navigation is reversed once."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import translation

from slecop import context_processors


def test_navigation_is_reversed_once_and_still_follows_the_language(monkeypatch):
    context_processors._reversed_nav_entries.cache_clear()
    calls = []
    real_reverse = context_processors.reverse

    def counting_reverse(*args, **kwargs):
        calls.append(args)
        return real_reverse(*args, **kwargs)

    monkeypatch.setattr(context_processors, "reverse", counting_reverse)
    request = RequestFactory().get("/library/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    with translation.override("en"):
        first = context_processors.portal(request)["portal_nav"]
    assert calls, "the first page reverses the navigation"
    reversed_once = len(calls)
    with translation.override("es"):
        second = context_processors.portal(request)["portal_nav"]
        labels_es = [str(item["label"]) for item in second]
    assert len(calls) == reversed_once  # no reverse() on later pages
    assert [item["url"] for item in first] == [item["url"] for item in second]
    assert labels_es != [str(item["label"]) for item in first]  # lazy labels: Spanish here
    assert any(item["current"] for item in first)


@pytest.mark.parametrize("path", ["/", "/ecosystems/"])
def test_current_entry_follows_the_request(path):
    request = RequestFactory().get(path)
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    nav = context_processors.portal(request)["portal_nav"]
    assert [item["url"] for item in nav if item["current"]] == (
        [] if path == "/" else ["/ecosystems/"]
    )
