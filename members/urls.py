from django.urls import path

from . import views

app_name = "members"

invoice = "my/<slug:ecosystem>/invoices/<str:number>/"

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
    # dues and payments
    path("my/<slug:ecosystem>/invoices/", views.invoice_list, name="invoice_list"),
    path(invoice, views.invoice_detail, name="invoice_detail"),
    path(f"{invoice}print/", views.invoice_print, name="invoice_print"),
    path(f"{invoice}pay/", views.invoice_pay, name="invoice_pay"),
    path(f"{invoice}pay/return/", views.payment_return, name="payment_return"),
    path(f"{invoice}pay/cancelled/", views.payment_cancelled, name="payment_cancelled"),
    path(
        f"{invoice}pay/test/<str:session_id>/",
        views.payment_simulator,
        name="payment_simulator",
    ),
    path(f"{invoice}scholarship/", views.scholarship_apply, name="scholarship_apply"),
    path(
        "my/<slug:ecosystem>/payments/<int:pk>/receipt/",
        views.payment_receipt,
        name="payment_receipt",
    ),
    path("payments/stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/dues/", views.dues_dashboard, name="dues_dashboard"),
    path("staff/dues/invoices.csv", views.invoices_csv, name="dues_invoices_csv"),
    path("staff/dues/payments.csv", views.payments_csv, name="dues_payments_csv"),
    # add-on services, joining and onboarding (issue 10)
    path("services/", views.service_catalog, name="service_catalog"),
    path("my/<slug:ecosystem>/services/", views.service_requests, name="service_requests"),
    path(
        "my/<slug:ecosystem>/services/new/",
        views.service_request_new,
        name="service_request_new",
    ),
    path(
        "my/<slug:ecosystem>/services/<int:pk>/",
        views.service_request_detail,
        name="service_request_detail",
    ),
    path(
        "my/<slug:ecosystem>/services/<int:pk>/withdraw/",
        views.service_request_withdraw,
        name="service_request_withdraw",
    ),
    path("about/", views.about, name="about"),
    path("join/", views.join, name="join"),
    path("join/thanks/", views.join_thanks, name="join_thanks"),
    path("onboarding/", views.cohort_progress, name="cohort_progress"),
    path("onboarding/<slug:slug>/", views.onboarding_detail, name="onboarding_detail"),
    path("onboarding/<slug:slug>/tick/", views.onboarding_tick, name="onboarding_tick"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
