"""The invoice page (members/views/dues.py): a few queries whatever the payments; every
write the page shows appears on the next view; its payment form carries each response's
own CSRF token; and an invoice that no longer shows is a 404."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.billing.services import scholarship_apply
from members.models import CheckoutSession, Invoice
from tests.factories import make_lead, make_member, open_dues_invoice, pay_invoice
from tests.members.dues_helpers import simulated_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulator")]


def _url(invoice: Invoice, name: str = "invoice_detail") -> str:
    return reverse(
        f"members:{name}", kwargs={"ecosystem": invoice.ecosystem.slug, "number": invoice.number}
    )


@pytest.mark.parametrize("payments", [1, 12])
def test_the_page_s_queries_are_few_and_constant(lead_client, ecosystem, payments):
    from members.models import Payment

    invoice = open_dues_invoice(ecosystem)
    for i in range(payments):
        Payment.objects.create(
            invoice=invoice,
            amount_cents=10,
            method="check",
            received_at=timezone.now(),
            external_id=f"CHK-{i}",
        )
    lead_client.get(_url(invoice))
    with CaptureQueriesContext(connection) as warm:
        page = lead_client.get(_url(invoice))
    assert page.status_code == 200 and f"Invoice {invoice.number}" in page.text
    # user, ecosystem and role, invoice, lines, payments, scholarships, a processing checkout
    assert len(warm) <= 8, [q["sql"] for q in warm.captured_queries]


def test_every_write_it_shows_appears_on_the_next_view(lead_client, lead, ecosystem):
    invoice = open_dues_invoice(ecosystem)

    def text():
        return lead_client.get(_url(invoice)).text

    assert "Balance due: 3,000.00 USD" in text() and "No payment yet." in text()
    scholarship_apply(
        acting_user=lead, invoice=invoice, full_waiver=True, requested_cents=None, narrative="x"
    )
    assert "Scholarship pending" in text() and "Apply for a scholarship" not in text()
    session = simulated_session(invoice, paid=False)
    session.status = CheckoutSession.Status.PROCESSING
    session.save()
    assert "A bank payment for this invoice is processing" in text()
    CheckoutSession.objects.filter(pk=session.pk).delete()
    assert "is processing" not in text()
    pay_invoice(invoice, reference="CHK-4242")
    paid = text()
    assert "CHK-4242" in paid and "Paid in full on" in paid and "Balance due" not in paid


def test_an_invoice_that_no_longer_shows_is_404_even_after_a_cached_view(lead_client, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    assert lead_client.get(_url(invoice)).status_code == 200
    invoice.status = Invoice.Status.DRAFT
    invoice.save()
    assert lead_client.get(_url(invoice)).status_code == 404
    invoice.number = "SLE-0000-99999"
    assert lead_client.get(_url(invoice)).status_code == 404


def test_each_response_carries_its_own_csrf_token(ecosystem, lead):
    invoice = open_dues_invoice(ecosystem)
    for person in (lead, make_lead(ecosystem)):
        client = Client(enforce_csrf_checks=True)
        client.force_login(person)
        html = client.get(_url(invoice)).text
        (token,) = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        pay = _url(invoice, "invoice_pay")
        assert client.post(pay, {"csrfmiddlewaretoken": "x" * 64}).status_code == 403
        assert client.post(pay, {"csrfmiddlewaretoken": token}).status_code == 303, person
    assert CheckoutSession.objects.filter(invoice=invoice).count() >= 1


def test_a_member_never_gets_the_lead_s_cached_forms(client, ecosystem, lead):
    invoice = open_dues_invoice(ecosystem)
    client.force_login(lead)
    assert "Pay dues" in client.get(_url(invoice)).text
    client.force_login(make_member(ecosystem))
    html = client.get(_url(invoice)).text
    assert "Balance due: 3,000.00 USD" in html
    assert "Pay dues" not in html and "csrfmiddlewaretoken" not in html.split("<main")[1]


def test_turning_online_payment_off_shows_on_the_next_view(lead_client, ecosystem, settings):
    invoice = open_dues_invoice(ecosystem)
    assert "Pay dues" in lead_client.get(_url(invoice)).text
    settings.PAYMENTS_SIMULATOR = False
    html = lead_client.get(_url(invoice)).text
    assert "Pay dues" not in html and "Pay by check, ACH or wire" in html
