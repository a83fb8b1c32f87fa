from django.urls import path

from . import views

app_name = "elections"

urlpatterns = [
    path("elections/", views.election_list, name="list"),
    path("elections/nomination/<str:token>/", views.nomination_respond, name="nomination_respond"),
    path("elections/<slug:slug>/", views.election_detail, name="detail"),
    path("elections/<slug:slug>/results/", views.results, name="results"),
    path("elections/<slug:slug>/results.csv", views.results_csv, name="results_csv"),
    path(
        "elections/<slug:slug>/ballots/<int:contest>.csv",
        views.contest_ballots_csv,
        name="contest_ballots_csv",
    ),
    path("elections/<slug:slug>/receipts/", views.receipts, name="receipts"),
    path("elections/<slug:slug>/vote/<slug:ecosystem>/", views.ballot, name="ballot"),
    path("elections/<slug:slug>/nominate/<slug:ecosystem>/", views.nominate, name="nominate"),
]
