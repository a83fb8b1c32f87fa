from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from members import views as member_views

from .admin_login import admin_login

admin.site.login = admin_login
admin.site.site_header = "SLECoP portal administration"
admin.site.site_title = "SLECoP admin"
admin.site.index_title = "Network administration"

urlpatterns = [
    path("", member_views.home, name="home"),
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
