"""Stripe Checkout through the real `stripe` client against a local fake Stripe API:
session creation (amount, currency, metadata, idempotency key), retrieval on fulfilment,
the return page, and Stripe being unavailable."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.billing.services.checkout import checkout_fulfil
from members.models import CheckoutSession, Payment
from tests.factories import open_dues_invoice
from tests.members.dues_helpers import checkout_event, deliver

pytestmark = pytest.mark.django_db


def _pay_url(invoice):
    return reverse(
        "members:invoice_pay",
        kwargs={"ecosystem": invoice.ecosystem.slug, "number": invoice.number},
    )


def test_pay_opens_a_stripe_checkout_for_the_balance(fake_stripe, lead_client, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    response = lead_client.post(_pay_url(invoice))
    assert response.status_code == 303
    session = CheckoutSession.objects.get()
    assert response["Location"] == f"https://checkout.stripe.com/c/pay/{session.session_id}"
    assert (session.provider, session.amount_cents, session.currency) == ("stripe", 300_000, "USD")
    assert session.expires_at is not None and session.created_by.email.startswith("person")
    (create,) = fake_stripe.creates()
    assert create.path == "/v1/checkout/sessions"
    assert create.headers["Idempotency-Key"] == f"inv-{invoice.pk}-300000"
    assert create.headers["Authorization"] == "Bearer sk_test_fake_portal_key"
    form = create.form
    assert form["mode"] == "payment"
    assert form["line_items[0][price_data][unit_amount]"] == "300000"
    assert form["line_items[0][price_data][currency]"] == "usd"
    assert form["metadata[invoice_id]"] == str(invoice.pk)
    assert form["metadata[invoice_number]"] == invoice.number
    assert form["payment_intent_data[metadata][invoice_id]"] == str(invoice.pk)
    assert form["client_reference_id"] == invoice.number
    assert form["success_url"].endswith(
        f"/invoices/{invoice.number}/pay/return/?session_id={{CHECKOUT_SESSION_ID}}"
    )
    assert form["cancel_url"].endswith(f"/invoices/{invoice.number}/pay/cancelled/")


def test_paying_twice_reuses_the_session_and_the_key(fake_stripe, lead_client, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    first = lead_client.post(_pay_url(invoice))["Location"]
    CheckoutSession.objects.update(expires_at=None)  # stored session reused without a call
    assert lead_client.post(_pay_url(invoice))["Location"] == first
    assert len(fake_stripe.creates()) == 1
    # lost locally (say, the row was never written): Stripe's idempotency returns the same
    CheckoutSession.objects.all().delete()
    assert lead_client.post(_pay_url(invoice))["Location"] == first
    assert [r.headers["Idempotency-Key"] for r in fake_stripe.creates()] == [
        f"inv-{invoice.pk}-300000"
    ] * 2
    assert len(fake_stripe.sessions) == 1


def test_a_used_up_session_gets_a_new_key(fake_stripe, lead_client, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    lead_client.post(_pay_url(invoice))
    session = CheckoutSession.objects.get()
    fake_stripe.expire(session.session_id)
    checkout_fulfil(session_id=session.session_id)
    session.refresh_from_db()
    assert session.status == "expired"
    lead_client.post(_pay_url(invoice))
    keys = [r.headers["Idempotency-Key"] for r in fake_stripe.creates()]
    assert keys == [f"inv-{invoice.pk}-300000", f"inv-{invoice.pk}-300000-r1"]
    assert CheckoutSession.objects.filter(status="open").count() == 1


def test_webhook_fulfils_by_retrieving_the_session(fake_stripe, client, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    from members.billing.payments.providers import provider_named
    from members.billing.services.checkout import checkout_start

    session = checkout_start(
        acting_user=None,
        invoice=invoice,
        provider=provider_named("stripe"),
        success_url="https://portal.example/ok?session_id={CHECKOUT_SESSION_ID}",
        cancel_url="https://portal.example/cancel",
    )
    # the event says "completed" but Stripe's truth is still "open": nothing happens
    assert deliver(client, checkout_event(session)).status_code == 200
    invoice.refresh_from_db()
    assert invoice.paid_cents == 0
    remote = fake_stripe.complete(session.session_id)
    deliver(client, checkout_event(session))  # a new event after payment
    invoice.refresh_from_db()
    payment = Payment.objects.get()
    assert (invoice.status, payment.method, payment.external_id) == (
        "paid",
        "stripe",
        remote["payment_intent"],
    )
    gets = [r.path for r in fake_stripe.requests if r.method == "GET"]
    assert gets == [f"/v1/checkout/sessions/{session.session_id}"] * 2


def test_return_page_fulfils_before_the_webhook_and_the_webhook_then_changes_nothing(
    fake_stripe, lead_client, client, ecosystem
):
    invoice = open_dues_invoice(ecosystem)
    lead_client.post(_pay_url(invoice))
    session = CheckoutSession.objects.get()
    return_url = (
        reverse(
            "members:payment_return",
            kwargs={"ecosystem": ecosystem.slug, "number": invoice.number},
        )
        + f"?session_id={session.session_id}"
    )
    # back before paying (or Stripe slow): "processing", refreshing itself
    waiting = lead_client.get(return_url)
    assert waiting.status_code == 200 and b"Processing your payment" in waiting.content
    assert b'http-equiv="refresh"' in waiting.content
    fake_stripe.complete(session.session_id)
    done = lead_client.get(return_url)
    body = done.content.decode()
    assert "Payment received" in body and "Good standing" in body and "View receipt" in body
    assert b"http-equiv" not in done.content
    assert deliver(client, checkout_event(session)).status_code == 200
    assert Payment.objects.count() == 1
    invoice.refresh_from_db()
    assert invoice.status == "paid"


def test_async_bank_payment_shows_processing_until_it_clears(
    fake_stripe, lead_client, client, ecosystem
):
    invoice = open_dues_invoice(ecosystem)
    lead_client.post(_pay_url(invoice))
    session = CheckoutSession.objects.get()
    fake_stripe.complete(session.session_id, payment_status="unpaid")
    deliver(client, checkout_event(session, payment_status="unpaid"))
    session.refresh_from_db()
    assert session.status == "processing"
    detail = lead_client.get(invoice.get_absolute_url()).content.decode()
    assert "bank payment for this invoice is processing" in detail
    refused = lead_client.post(_pay_url(invoice), follow=True)
    assert "still processing" in refused.content.decode()
    assert len(fake_stripe.creates()) == 1
    fake_stripe.complete(session.session_id, payment_status="paid")
    deliver(client, checkout_event(session, "checkout.session.async_payment_succeeded"))
    invoice.refresh_from_db()
    assert invoice.status == "paid"


def test_stripe_unavailable_is_a_message_not_an_error(fake_stripe, lead_client, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    fake_stripe.refuse_with = 401
    response = lead_client.post(_pay_url(invoice), follow=True)
    assert response.status_code == 200
    assert "Card payments are not available right now" in response.content.decode()
    assert not CheckoutSession.objects.exists()


def test_webhook_answers_503_while_stripe_cannot_be_read(
    fake_stripe, lead_client, client, ecosystem
):
    invoice = open_dues_invoice(ecosystem)
    lead_client.post(_pay_url(invoice))
    session = CheckoutSession.objects.get()
    fake_stripe.complete(session.session_id)
    fake_stripe.refuse_with = 401
    payload = checkout_event(session)
    assert deliver(client, payload).status_code == 503  # Stripe will deliver it again
    fake_stripe.refuse_with = None
    assert deliver(client, payload).status_code == 200
    invoice.refresh_from_db()
    assert invoice.status == "paid"
