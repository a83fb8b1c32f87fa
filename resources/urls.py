from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("library/", views.library, name="library"),
    path("library/suggest/", views.suggest, name="suggest"),
    path("library/<slug:slug>/", views.detail, name="detail"),
    path("library/<slug:slug>/download/", views.download, name="download"),
    path(
        "library/<slug:slug>/versions/<int:number>/download/",
        views.version_download,
        name="version_download",
    ),
]
