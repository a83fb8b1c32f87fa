from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("ecosystems/", views.directory, name="directory"),
    path("ecosystems/<slug:slug>/", views.ecosystem_detail, name="ecosystem_detail"),
    path("my/", views.my_ecosystem, name="my_ecosystem"),
    path("my/<slug:ecosystem>/", views.dashboard, name="dashboard"),
    path("my/<slug:ecosystem>/profile/", views.profile_edit, name="profile_edit"),
    path("my/<slug:ecosystem>/people/invite/", views.invite, name="invite"),
    path("my/<slug:ecosystem>/people/<int:pk>/role/", views.role_change, name="role_change"),
    path("my/<slug:ecosystem>/people/<int:pk>/remove/", views.role_remove, name="role_remove"),
    path(
        "my/<slug:ecosystem>/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("my/<slug:ecosystem>/invoices/<str:number>/", views.invoice_detail, name="invoice_detail"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
