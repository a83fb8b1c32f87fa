"""The About page: mission and history (seed 003) and design principles (seed 002), in
portal copy, linked from the footer and the home page, in English and Spanish."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_about_page_tells_mission_history_and_principles(client):
    url = reverse("members:about")
    page = client.get(url).text
    for words in [
        "Our mission",
        "Our history",
        "founded in 2015",
        "Our design principles",
        "Value and promote equity, diversity and inclusion",
    ]:
        assert words in page, words
    assert "seed 00" not in page.lower()
    home = client.get(reverse("home")).text
    footer = home[home.index('<footer class="site-footer">') :]
    assert f'href="{url}"' in footer
    assert home.count(f'href="{url}"') >= 2  # the home page's own link too


def test_the_about_page_speaks_spanish(client):
    client.cookies["django_language"] = "es"
    page = client.get(reverse("members:about")).text
    assert "Nuestra misión" in page and "Nuestros principios de diseño" in page
    assert "Our mission" not in page
