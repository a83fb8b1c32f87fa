from __future__ import annotations

from functools import lru_cache

from django.apps import apps
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


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
    return {"portal_nav": nav, "site_name": "SLECoP"}
