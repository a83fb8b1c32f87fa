from __future__ import annotations

from functools import lru_cache

from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language


def _nav_entries():
    """Navigation links declared by each app's AppConfig as `nav = [(label, url_name,
    audience), ...]`, audience one of "public", "auth" and "staff". Every page shows them:
    they are reversed once per URL conf and script prefix (a quarter of a millisecond a
    page otherwise); labels stay lazy, so each page still shows them in its language."""
    return _reversed_nav_entries(get_urlconf(), get_script_prefix())


@lru_cache(maxsize=8)
def _reversed_nav_entries(urlconf, _script_prefix):
    entries = []
    for config in apps.get_app_configs():
        for label, url_name, audience in getattr(config, "nav", ()):
            try:
                entries.append((label, reverse(url_name, urlconf=urlconf), audience))
            except NoReverseMatch:
                continue
    return tuple(entries)


def portal(request):
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    staff = bool(authenticated and user.is_staff)
    nav = [
        {"label": label, "url": url, "current": request.path.startswith(url) and url != "/"}
        for label, url, audience in _nav_entries()
        if audience == "public"
        or (audience == "auth" and authenticated)
        or (audience == "staff" and staff)
    ]
    current = next((item["url"] for item in nav if item["current"]), None)
    language = get_language()
    return {
        "portal_nav": nav,
        "portal_nav_html": _nav_html(
            get_urlconf(), get_script_prefix(), language, authenticated, staff, current
        ),
        "language_options": _language_options(language),
        "site_name": "SLECoP",
    }


# Every page draws the navigation and the language choice; drawn by the template engine
# they took ~0.2 ms a page (a loop of lazy labels). They depend on nothing but the
# language, the audience and the current entry, so each variant is drawn once a process.
@lru_cache(maxsize=256)
def _nav_html(urlconf, script_prefix, _language, authenticated, staff, current) -> SafeString:
    """The navigation's <li> items (for `portal`'s arguments; the language is active)."""
    current_item = '<li><a href="{}" aria-current="page">{}</a></li>'
    items = (
        format_html(current_item if url == current else '<li><a href="{}">{}</a></li>', url, label)
        for label, url, audience in _reversed_nav_entries(urlconf, script_prefix)
        if audience == "public"
        or (audience == "auth" and authenticated)
        or (audience == "staff" and staff)
    )
    return format_html_join("", "{}", ((item,) for item in items))


@lru_cache(maxsize=16)
def _language_options(language) -> SafeString:
    """The language choice's <option>s, names in the active `language`."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (code, " selected" if code == language else "", str(name))
            for code, name in settings.LANGUAGES
        ),
    )
