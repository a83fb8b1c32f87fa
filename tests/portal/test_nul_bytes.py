"""Issue 22, item 4: a NUL byte in an address is a clear 400, never a 500 (PostgreSQL
refuses NUL in any text it compares, so every view that looked the token up failed)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.urls.converters import IntConverter, SlugConverter, UUIDConverter

from tests.urlwalk import fill, iter_routes

pytestmark = pytest.mark.django_db

TYPED = (IntConverter, SlugConverter, UUIDConverter)


def _text_routes():
    """Every named route with a free-text part (a token, an invoice number, a session id):
    generated, so a route added later is covered."""
    unique = {}
    for route in iter_routes():
        if any(not isinstance(c, TYPED) for c in route.converters.values()):
            unique[route.name] = route
    return [unique[name] for name in sorted(unique)]


def _urls(ecosystem) -> list[str]:
    urls = []
    for route in _text_routes():
        values = {name: "\x00" for name, c in route.converters.items() if not isinstance(c, TYPED)}
        values.setdefault("ecosystem", ecosystem.slug)
        urls.append(fill(route, values))
    return urls


def test_the_free_text_routes_are_found(ecosystem):
    urls = _urls(ecosystem)
    assert "/invitations/%00/" in urls
    assert f"/my/{ecosystem.slug}/invoices/%00/" in urls
    assert len(urls) >= 8


@pytest.mark.parametrize("who", ["anonymous", "lead", "staff"])
def test_a_nul_byte_in_a_path_is_a_bad_request(client, ecosystem, lead, staff_user, who):
    user = {"anonymous": None, "lead": lead, "staff": staff_user}[who]
    if user is not None:
        client.force_login(user)
    urls = [
        *_urls(ecosystem),
        "/accounts/password/reset/key/1-%00/",
        "/accounts/confirm-email/%00/",
        f"/my/{ecosystem.slug}/invoices/SLE%00/pay/",
    ]
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 400, (url, method.__name__, response.status_code)
            assert "We could not understand that request" in response.content.decode()


def test_a_nul_byte_in_the_query_string_is_a_bad_request(client, lead):
    client.force_login(lead)
    for url in (reverse("members:directory") + "?q=%00", reverse("home") + "?page=1%00"):
        assert client.get(url).status_code == 400, url


@pytest.mark.postgres
def test_on_postgresql_the_lookup_never_runs(client, ecosystem, lead):
    """The database that made these 500s: the page is refused before any query."""
    client.force_login(lead)
    assert client.get("/invitations/%00/").status_code == 400
    assert client.get(f"/my/{ecosystem.slug}/invoices/%00/").status_code == 400
