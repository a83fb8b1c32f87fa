"""Response headers for private content, for every app at once."""

from __future__ import annotations

from django.utils.cache import patch_cache_control


class PrivateContentMiddleware:
    """A page rendered for a signed-in person, or a file download (CSV exports, library
    files, recovery codes), must never be kept by a shared cache (a proxy, a CDN):
    `Cache-Control: private`, and `no-store` for downloads. A view that sets its own
    Cache-Control keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if response.has_header("Content-Disposition"):
            patch_cache_control(response, private=True, no_store=True)
        elif getattr(request, "user", None) is not None and request.user.is_authenticated:
            patch_cache_control(response, private=True)
        return response
