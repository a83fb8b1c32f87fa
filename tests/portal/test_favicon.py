"""Every page names an icon, and the icon is there (it was a 404 on every page)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_pages_link_an_icon_that_exists_and_favicon_ico_is_served(client):
    page = client.get("/").content.decode()
    hrefs = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', page)
    assert {h.rsplit(".", 1)[-1] for h in hrefs} >= {"ico", "svg"}
    for href in hrefs:
        assert finders.find(href.removeprefix(settings.STATIC_URL)), href
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"
