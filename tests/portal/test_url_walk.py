"""Every page of the URL conf, as anonymous, a lead and staff: never a server error, a
query count that does not grow with the network (10 → 500 ecosystems), and safe headers on
every file it downloads."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from tests.portal.walk import fill_routes

pytestmark = pytest.mark.django_db

# No page may run more queries than this, whatever the network's size.
QUERY_CEILING = 40
DOWNLOADS: set[str] = set()


def _queries(client, urls: list[str]) -> dict[str, int]:
    counts = {}
    for url in urls:
        # every page measured cold: a cache warmed by an earlier request (at 10 ecosystems)
        # and emptied by the reseed (at 500) would count as growth, and a warm count hides
        # what the first visitor after a change pays
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        counts[url] = len(ctx.captured_queries)
        if response.has_header("Content-Disposition"):
            _assert_safe_download(url, response)
    return counts


def _assert_safe_download(url, response) -> None:
    """Library files, CSV exports, recovery codes: a download is an attachment the browser
    will not sniff or run, and no shared cache keeps it."""
    assert response["Content-Disposition"].startswith("attachment"), url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert "no-store" in response.get("Cache-Control", ""), (url, response.get("Cache-Control"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy or "script-src 'self'" in policy, url
    DOWNLOADS.add(resolve(url).url_name)


def test_every_page_runs_a_bounded_number_of_queries_at_any_size(network):
    viewers = {
        "anonymous": network.client(),
        "lead": network.client(network.lead),
        "staff": network.client(network.staff),
    }
    walks = {name: fill_routes(client, network.ecosystem) for name, client in viewers.items()}
    # everything but allauth's emailed-key pages (regex routes: their keys are allauth's to
    # make and test) and the pages of a live payment session (a provider's session id)
    assert set(walks["lead"].unfilled) <= {
        "account_confirm_email",
        "account_reset_password_from_key",
        "members:payment_return",
        "members:payment_simulator",
    }, walks["lead"].unfilled
    small = {name: _queries(viewers[name], walk.urls()) for name, walk in walks.items()}

    call_command("seed_demo", "--ecosystems", "500", "--quiet")
    large = {name: _queries(viewers[name], walk.urls()) for name, walk in walks.items()}

    grew = {
        (name, url): (small[name][url], n)
        for name in viewers
        for url, n in large[name].items()
        if n > small[name][url]
    }
    assert not grew, f"queries grew from 10 to 500 ecosystems: {grew}"
    over = {(name, url): n for name in viewers for url, n in large[name].items()}
    over = {key: n for key, n in over.items() if n > QUERY_CEILING}
    assert not over, f"pages over {QUERY_CEILING} queries: {over}"
    assert {"download", "dues_invoices_csv", "dues_payments_csv"} <= DOWNLOADS, DOWNLOADS
