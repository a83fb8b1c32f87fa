"""Money in the admin in dollars, never raw cents; no internal references in help texts
(issue 28)."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from members.admin_money import MoneyAdminMixin
from members.models import MembershipYear, ScholarshipApplication
from tests.factories import open_dues_invoice, pay_invoice

pytestmark = pytest.mark.django_db


def _cents_fields(model):
    return [f.name for f in model._meta.fields if f.name.endswith("_cents")]


def test_every_admin_that_shows_cents_shows_dollars():
    missing = []
    for model, model_admin in admin.site._registry.items():
        admins = [model_admin, *(i(model, admin.site) for i in model_admin.inlines)]
        for each in admins:
            own_form = each.model._meta.label == "resources.Resource"  # its own dollar fields
            if _cents_fields(each.model) and not own_form and not isinstance(each, MoneyAdminMixin):
                missing.append(type(each).__name__)
    assert not missing


def test_read_only_money_shows_dollars_not_cents(client, superuser, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    application = ScholarshipApplication.objects.create(
        invoice=invoice, ecosystem=ecosystem, requested_cents=300000, narrative="Please."
    )
    pay_invoice(invoice)
    client.force_login(superuser)
    pages = [
        reverse("admin:members_scholarshipapplication_change", args=[application.pk]),
        reverse("admin:members_invoice_change", args=[invoice.pk]),
        reverse("admin:members_payment_change", args=[invoice.payments.get().pk]),
        reverse("admin:members_invoice_changelist"),
        reverse("admin:members_payment_changelist"),
        reverse("admin:members_scholarshipapplication_changelist"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "$3,000.00" in html, url
        found = re.search(r".{150}[Cc]ents.{60}", html, re.S)
        assert not found, (url, found and found.group(0))
        assert ">300000<" not in html, url
    html = client.get(pages[0]).content.decode()
    assert "Requested (USD)" in html


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("3000.505", "at most two decimals"),
        ("-5", "positive amount"),
        ("three thousand", "Enter an amount in dollars"),
        ("1e3", "Enter an amount in dollars"),
    ],
)
def test_admin_money_input_refuses_what_is_not_dollars_and_cents(client, superuser, typed, error):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:members_membershipyear_add"),
        {
            "year": 2031,
            "dues_cents": typed,
            "currency": "USD",
            "invoices_open_on": "2030-12-01",
            "due_date": "2031-01-31",
            "grace_days": 60,
        },
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not MembershipYear.objects.filter(year=2031).exists()


def test_admin_money_input_keeps_dollars_and_cents_exactly(client, superuser):
    client.force_login(superuser)
    add = client.get(reverse("admin:members_membershipyear_add")).content.decode()
    assert "Dues (USD)" in add and 'value="3000.00"' in add
    response = client.post(
        reverse("admin:members_membershipyear_add"),
        {
            "year": 2031,
            "dues_cents": "3,000.10",
            "currency": "USD",
            "invoices_open_on": "2030-12-01",
            "due_date": "2031-01-31",
            "grace_days": 60,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert MembershipYear.objects.get(year=2031).dues_cents == 300010


def test_no_help_text_refers_to_seeds_or_issues():
    found = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if re.search(r"\b(seed|issue) \d+", str(getattr(field, "help_text", "")), re.I)
    ]
    assert not found
