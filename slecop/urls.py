from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from members import views as member_views

from .admin_login import admin_login

admin.site.login = admin_login
admin.site.site_header = "SLECoP portal administration"
admin.site.site_title = "SLECoP admin"
admin.site.index_title = "Network administration"


def favicon(request):
    """/favicon.ico, which browsers ask for on every page whatever the <link> tags say
    (it was a 404 on each): the static icon, cached for a day."""
    with open(finders.find("favicon.ico"), "rb") as icon:
        response = HttpResponse(icon.read(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


urlpatterns = [
    path("", member_views.home, name="home"),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    # The language switch is CSRF-exempt: forging it can only change a visitor's language,
    # and without a token in its form the public pages can be cached whole for anonymous
    # visitors (slecop.cache.cache_public_page). It still only changes on POST.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("members.urls")),
    path("", include("governance.urls")),
    path("", include("elections.urls")),
    path("", include("convenings.urls")),
    path("", include("resources.urls")),
    path("", include("measurement.urls")),
    path("", include("renewals.urls")),
    path("", include("community.urls")),
]


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
    """Probe: the same page after the one statement every ecosystem page runs to learn
    whether this user may see this ecosystem (members.permissions.ecosystem_and_access)."""
    from members.permissions import ecosystem_and_access

    _, access = ecosystem_and_access(request.user, ecosystem)
    if not access.can_view:
        return HttpResponse(status=403)
    return _cached_body(request)


if settings.BENCH_FLOOR_VIEW:
    urlpatterns += [
        path("bench/floor/", bench_floor, name="bench_floor"),
        path("bench/floor/signed-in/", bench_floor_signed_in, name="bench_floor_signed_in"),
        path("bench/probe/cached/", bench_probe_cached_page, name="bench_probe_cached"),
        path(
            "bench/probe/cached/<slug:ecosystem>/",
            bench_probe_cached_page_checked,
            name="bench_probe_cached_checked",
        ),
    ]
