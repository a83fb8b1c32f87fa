from __future__ import annotations

from django.apps import apps
from django.urls import NoReverseMatch, reverse


def _nav_entries():
    """Navigation links declared by each app's AppConfig as `nav = [(label, url_name,
    audience), ...]`, audience one of "public", "auth" and "staff"."""
    entries = []
    for config in apps.get_app_configs():
        for label, url_name, audience in getattr(config, "nav", ()):
            try:
                entries.append((label, reverse(url_name), audience))
            except NoReverseMatch:
                continue
    return entries


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
