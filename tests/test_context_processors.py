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
        labels_en = [str(item["label"]) for item in first]
    assert calls, "the first page reverses the navigation"
    reversed_once = len(calls)
    with translation.override("es"):
        second = context_processors.portal(request)["portal_nav"]
        labels_es = [str(item["label"]) for item in second]
    assert len(calls) == reversed_once  # no reverse() on later pages
    assert [item["url"] for item in first] == [item["url"] for item in second]
    assert labels_es != labels_en  # lazy labels: Spanish here
    assert any(item["current"] for item in first)


@pytest.mark.parametrize("path", ["/", "/ecosystems/"])
def test_current_entry_follows_the_request(path):
    request = RequestFactory().get(path)
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    nav = context_processors.portal(request)["portal_nav"]
    assert [item["url"] for item in nav if item["current"]] == (
        [] if path == "/" else ["/ecosystems/"]
    )


def _html(path: str, language: str, user=None) -> dict:
    request = RequestFactory().get(path)
    request.user = user or type("Anonymous", (), {"is_authenticated": False})()
    with translation.override(language):
        context = context_processors.portal(request)
        return {key: str(context[key]) for key in ("portal_nav_html", "language_options")}


def test_drawn_navigation_and_language_choice_follow_page_language_and_audience():
    """Drawn once per variant a process, the navigation still marks the current entry,
    speaks the page's language and shows staff entries to staff only; the language
    choice selects the page's language and names the languages in it."""
    english = _html("/ecosystems/", "en")
    assert '<li><a href="/ecosystems/" aria-current="page">' in english["portal_nav_html"]
    assert english["portal_nav_html"].count("aria-current") == 1
    assert '<option value="en" selected>English</option>' in english["language_options"]
    spanish = _html("/", "es")
    assert "aria-current" not in spanish["portal_nav_html"]
    assert spanish["portal_nav_html"] != english["portal_nav_html"]
    assert '<option value="es" selected>Español</option>' in spanish["language_options"]
    assert '<option value="en">Inglés</option>' in spanish["language_options"]
    staff = type("Staff", (), {"is_authenticated": True, "is_staff": True})()
    member = type("Member", (), {"is_authenticated": True, "is_staff": False})()
    entries = context_processors._reversed_nav_entries(
        context_processors.get_urlconf(), context_processors.get_script_prefix()
    )
    staff_urls = [url for _, url, audience in entries if audience == "staff"]
    assert staff_urls
    for url in staff_urls:
        assert f'href="{url}"' in _html("/", "en", staff)["portal_nav_html"]
        assert f'href="{url}"' not in _html("/", "en", member)["portal_nav_html"]
