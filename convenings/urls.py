from django.urls import path

from . import views

app_name = "convenings"

mine = "my/<slug:ecosystem>/convenings/"
staff = "staff/convenings/<slug:slug>/"

urlpatterns = [
    path("convenings/", views.convening_list, name="list"),
    path("convenings/<slug:slug>/", views.convening_detail, name="detail"),
    path(mine, views.ecosystem_registrations, name="ecosystem_registrations"),
    path(f"{mine}<slug:slug>/register/", views.register, name="register"),
    path(f"{mine}registrations/<int:pk>/cancel/", views.cancel, name="cancel"),
    path(f"{mine}registrations/<int:pk>/substitute/", views.substitute, name="substitute"),
    path("staff/convenings/", views.staff_list, name="staff_list"),
    path(staff, views.staff_overview, name="staff_overview"),
    path(f"{staff}check-in/", views.check_in, name="check_in"),
    path(f"{staff}check-in/<int:pk>/", views.check_in_toggle, name="check_in_toggle"),
    path(f"{staff}attendees.csv", views.attendees_csv, name="attendees_csv"),
    path(f"{staff}badges/", views.badges, name="badges"),
]
