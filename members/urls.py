from django.urls import path

from . import views
from .billing import views as billing
from .catalogue import views as catalogue
from .onboarding import views as onboarding

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
    path("my/<slug:ecosystem>/invoices/", billing.invoice_list, name="invoice_list"),
    path(invoice, billing.invoice_detail, name="invoice_detail"),
    path(f"{invoice}print/", billing.invoice_print, name="invoice_print"),
    path(f"{invoice}pay/", billing.invoice_pay, name="invoice_pay"),
    path(f"{invoice}pay/return/", billing.payment_return, name="payment_return"),
    path(f"{invoice}pay/cancelled/", billing.payment_cancelled, name="payment_cancelled"),
    path(
        f"{invoice}pay/test/<str:session_id>/",
        billing.payment_simulator,
        name="payment_simulator",
    ),
    path(f"{invoice}scholarship/", billing.scholarship_apply, name="scholarship_apply"),
    path(
        "my/<slug:ecosystem>/payments/<int:pk>/receipt/",
        billing.payment_receipt,
        name="payment_receipt",
    ),
    path("payments/stripe/webhook/", billing.stripe_webhook, name="stripe_webhook"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/dues/", billing.dues_dashboard, name="dues_dashboard"),
    path("staff/dues/invoices.csv", billing.invoices_csv, name="dues_invoices_csv"),
    path("staff/dues/payments.csv", billing.payments_csv, name="dues_payments_csv"),
    # the add-on catalogue (its URLs keep the word users see), joining and onboarding
    path("services/", catalogue.catalogue_index, name="catalogue"),
    path("my/<slug:ecosystem>/services/", catalogue.catalogue_requests, name="catalogue_requests"),
    path(
        "my/<slug:ecosystem>/services/new/",
        catalogue.catalogue_request_new,
        name="catalogue_request_new",
    ),
    path(
        "my/<slug:ecosystem>/services/<int:pk>/",
        catalogue.catalogue_request_detail,
        name="catalogue_request_detail",
    ),
    path(
        "my/<slug:ecosystem>/services/<int:pk>/withdraw/",
        catalogue.catalogue_request_withdraw,
        name="catalogue_request_withdraw",
    ),
    path("about/", views.about, name="about"),
    path("join/", onboarding.join, name="join"),
    path("join/thanks/", onboarding.join_thanks, name="join_thanks"),
    path("onboarding/", onboarding.cohort_progress, name="cohort_progress"),
    path("onboarding/<slug:slug>/", onboarding.onboarding_detail, name="onboarding_detail"),
    path("onboarding/<slug:slug>/tick/", onboarding.onboarding_tick, name="onboarding_tick"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
