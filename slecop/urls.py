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
