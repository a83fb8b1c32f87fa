"""Spanish (locale/es): LocaleMiddleware picks it from the browser or the language switch,
and every public and lead page the walk reaches renders its interface in Spanish."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.portal.walk import fill_routes

pytestmark = pytest.mark.django_db

PO = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"


def translated_catalog() -> dict[str, str]:
    """msgid → msgstr of the translated, placeholder-free singular entries."""
    catalog = {}
    for entry in PO.read_text().split("\n\n"):
        msgid = re.search(r'^msgid "(.*)"$', entry, re.M)
        msgstr = re.search(r'^msgstr "(.*)"$', entry, re.M)
        if msgid and msgstr and msgstr.group(1) and "%" not in msgid.group(1):
            catalog[msgid.group(1).replace('\\"', '"')] = msgstr.group(1)
    return catalog


def test_the_browser_language_picks_spanish(client):
    response = client.get(reverse("home"), headers={"accept-language": "es"})
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Ecosistemas por región" in html and "Saltar al contenido principal" in html
    english = client.get(reverse("home"), headers={"accept-language": "en"}).content.decode()
    assert "Ecosystems by region" in english


def test_the_language_switch_remembers_the_choice(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 302
    assert "Ecosistemas por región" in client.get("/").content.decode()


def test_every_public_and_lead_page_speaks_spanish(network):
    """No interface string the catalog translates is left in English on any page the walk
    reaches as anonymous or as a lead (long strings only, so data cannot collide)."""
    english = {m for m in translated_catalog() if len(m) >= 24}
    assert len(english) > 150
    leftovers = {}
    for user in (None, network.lead):
        client = Client(headers={"accept-language": "es"})
        if user is not None:
            client.force_login(user)
        for page in fill_routes(client, network.ecosystem).pages:
            response = client.get(page.url)
            if page.status != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            html = unescape(response.content.decode())
            assert 'lang="es"' in html, page.url
            found = [m for m in english if m in html]
            if found:
                leftovers[page.url] = found
    assert not leftovers, leftovers
