"""Spanish (locale/es): LocaleMiddleware picks it from the browser or the language switch,
and every public and lead page the walk reaches renders its interface in Spanish.

User-authored content (documents, bodies, statements…) is written in English: on a Spanish
page its container carries lang="en" (WCAG 3.1.2 Language of Parts), and only that text
may stay in English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation import trans_real

from measurement.models import Attribute
from tests.factories import EcosystemFactory, make_lead
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


VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)


class WithoutEnglishParts(HTMLParser):
    """Re-emits a page without the elements marked lang="en" (and what they contain)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.depth = 0  # > 0 inside an English part
        self.parts = 0

    def handle_starttag(self, tag, attrs):
        if tag in VOID_ELEMENTS:
            self.handle_startendtag(tag, attrs)
        elif self.depth:
            self.depth += 1
        elif (dict(attrs).get("lang") or "").lower().split("-")[0] == "en":
            self.depth, self.parts = 1, self.parts + 1
        else:
            self.out.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        if not self.depth:
            self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        if self.depth:
            self.depth -= 1
        else:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if not self.depth:
            self.out.append(data)

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")


def spanish_parts(html: str) -> str:
    """The page, unescaped, without its English parts (each of which must be closed, so
    that a stray lang="en" cannot hide the rest of the page)."""
    parser = WithoutEnglishParts()
    parser.feed(html)
    parser.close()
    assert parser.depth == 0, 'an element with lang="en" is never closed'
    return unescape("".join(parser.out))


def test_english_parts_are_left_out_and_must_close():
    html = (
        '<main><h1>Consultas</h1><div class="prose" lang="en"><p>Draft <em>plan</em><br>'
        "&amp; more</p></div><p>Comentarios &amp; más</p><span lang=en-US>US</span></main>"
    )
    assert spanish_parts(html) == "<main><h1>Consultas</h1><p>Comentarios & más</p></main>"
    with pytest.raises(AssertionError):
        spanish_parts('<p lang="en">Unclosed <b>bold</p>')


@contextmanager
def missing_spanish() -> Iterator[set[str]]:
    """Records every msgid the interface asks the Spanish catalog for and does not find
    (an interface string nobody translated, in the catalog or not)."""
    missing: set[str] = set()
    cls = trans_real.DjangoTranslation
    # gettext("Inglés") from a template tag that translates a name already translated
    spanish = {str(m) for _, m in trans_real.translation("es")._catalog.items()}
    real_gettext, real_ngettext = cls.gettext, cls.ngettext

    def gettext(self, message):
        if self.language() == "es" and message not in self._catalog and message not in spanish:
            missing.add(message)
        return real_gettext(self, message)

    def ngettext(self, singular, plural, n):
        if self.language() == "es" and (singular, 0) not in self._catalog:
            missing.add(singular)
        return real_ngettext(self, singular, plural, n)

    cls.gettext, cls.ngettext = gettext, ngettext
    try:
        yield missing
    finally:
        cls.gettext, cls.ngettext = real_gettext, real_ngettext


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
    """No interface string is left in English on any page the walk reaches as anonymous
    or as a lead: no catalog string (long strings only, so data cannot collide) outside
    the parts marked lang="en", and no string the page asked gettext for that the Spanish
    catalog lacks (which catches a new app's strings before they reach the catalog)."""
    english = {m for m in translated_catalog() if len(m) >= 24}
    assert len(english) > 350
    leftovers, untranslated, pages = {}, {}, 0
    for user in (None, network.lead):
        client = Client(headers={"accept-language": "es"})
        if user is not None:
            client.force_login(user)
        for page in fill_routes(client, network.ecosystem).pages:
            with missing_spanish() as missing:
                response = client.get(page.url)
            if page.status != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            html = response.content.decode()
            assert '<html lang="es">' in html, page.url
            found = [m for m in english if m in spanish_parts(html)]
            if found:
                leftovers[page.url] = found
            if missing:
                untranslated[page.url] = sorted(missing)
    assert pages > 90
    assert not leftovers, leftovers
    assert not untranslated, untranslated


def test_seed_attribute_names_are_translated_and_staff_names_shown_as_written(client):
    """Seed 001's five attribute names share the vocabulary of resources' attribute filter;
    an attribute staff add keeps the name they wrote."""
    Attribute.objects.create(number=99, slug="family-engagement", name="Family engagement")
    html = client.get(reverse("measurement:indicator_list"), headers={"accept-language": "es"})
    html = html.content.decode()
    assert "Alianzas intersectoriales sólidas" in html
    assert "Strong cross-sector partnerships" not in html
    assert "99. Family engagement" in html


def test_a_lead_asking_for_what_is_not_there_is_answered_in_spanish(db):
    """The 404s a lead meets when a link names an unknown ecosystem or election carry a
    message (shown in debug pages and logs): it comes from the Spanish catalog too."""
    ecosystem = EcosystemFactory()
    lead = make_lead(ecosystem)
    client = Client(headers={"accept-language": "es"})
    client.force_login(lead)
    urls = [
        reverse("members:dashboard", args=["no-such-ecosystem"]),
        reverse("elections:ballot", args=["no-such-election", ecosystem.slug]),
    ]
    for url in urls:
        with missing_spanish() as missing:
            response = client.get(url)
        assert response.status_code == 404, url
        assert not missing, (url, missing)
