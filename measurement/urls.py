from django.urls import path

from . import views

app_name = "measurement"

mine = "my/<slug:ecosystem>/indicators/"

urlpatterns = [
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/network/", views.network, name="network"),
    path("indicators/network.csv", views.network_csv, name="network_csv"),
    path("indicators/reports/", views.staff_reports, name="staff_reports"),
    path(mine, views.dashboard, name="dashboard"),
    path(f"{mine}<int:year>/", views.report, name="report"),
    path(f"{mine}<int:year>/reopen/", views.report_reopen, name="report_reopen"),
]
