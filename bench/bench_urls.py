"""The benchmark's URL configuration (bench/load.py, settings `bench_settings`): the
portal's own URLs plus a floor and two probe views. Never mounted by the production URL
configuration (slecop/urls.py)."""

from django.http import HttpResponse
from django.urls import path

from slecop import urls


def bench_floor(request):
    """The benchmark's floor (bench/load.py): a constant response through the whole
    middleware stack, so each page's time can be read as a multiple of Django's own."""
    return HttpResponse(b"ok", content_type="text/plain")


def bench_floor_signed_in(request):
    """The floor of a signed-in page: the session and the user read, nothing else."""
    return HttpResponse(str(request.user.is_authenticated).encode(), content_type="text/plain")


PROBE_BODY_BYTES = 17_000  # about what My ecosystem sends


def _cached_body(request) -> HttpResponse:
    """The probes' page: 403 for a visitor, else a body of the size of a lead's page read
    from the cache in one round trip (drawn on the first request)."""
    from django.core.cache import cache

    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    body = cache.get("bench:probe:body")
    if body is None:
        body = b"<p>cached</p>" * (PROBE_BODY_BYTES // 13)
        cache.set("bench:probe:body", body, 3600)
    return HttpResponse(body)


def bench_probe_cached_page(request):
    """Probe: the best a signed-in page can do while it reads its session (Redis) and
    its user (PostgreSQL) on every request: the whole page served from the cache,
    nothing checked."""
    return _cached_body(request)


def bench_probe_cached_page_checked(request, ecosystem):
    """Probe: the same page after the one query every ecosystem page runs to learn whether
    this user may see this ecosystem (members.permissions.ecosystem_and_access)."""
    from members.permissions import ecosystem_and_access

    _, access = ecosystem_and_access(request.user, ecosystem)
    if not access.can_view:
        return HttpResponse(status=403)
    return _cached_body(request)


urlpatterns = [
    path("bench/floor/", bench_floor, name="bench_floor"),
    path("bench/floor/signed-in/", bench_floor_signed_in, name="bench_floor_signed_in"),
    path("bench/probe/cached/", bench_probe_cached_page, name="bench_probe_cached"),
    path(
        "bench/probe/cached/<slug:ecosystem>/",
        bench_probe_cached_page_checked,
        name="bench_probe_cached_checked",
    ),
    *urls.urlpatterns,
]
