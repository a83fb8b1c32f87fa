"""The Stripe webhook: signatures verified by the real stripe library, every event stored
once, each handled type, and the hooks other apps use."""

from __future__ import annotations

import json
import time

import pytest
from django.db import connection

from members.billing.payments import on_refunded, on_settled
from members.billing.payments.signing import signature_header
from members.models import AuditEntry, CheckoutSession, Invoice, Payment, StripeEvent
from slecop.errors import Busy
from tests.factories import open_dues_invoice, pay_invoice
from tests.members.dues_helpers import (
    WEBHOOK_SECRET,
    charge_refunded,
    checkout_event,
    deliver,
    dispute_created,
    event,
    payment_intent_of,
    record_check,
    seats_invoice,
    simulated_session,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulator")]


def _refresh(*objs):
    for obj in objs:
        obj.refresh_from_db()


def test_completed_checkout_pays_the_invoice_once(
    client, ecosystem, lead, mailoutbox, django_capture_on_commit_callbacks
):
    invoice = open_dues_invoice(ecosystem)
    session = simulated_session(invoice)
    payload = checkout_event(session)
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, payload)
    assert response.status_code == 200, response.content
    _refresh(invoice, session)
    assert (invoice.status, invoice.paid_cents) == ("paid", 300_000)
    assert session.status == "paid" and session.payment.external_id == payment_intent_of(session)
    assert session.payment.method == Payment.Method.SIMULATOR
    stored = StripeEvent.objects.get()
    assert stored.type == "checkout.session.completed" and stored.processed_at
    assert stored.object_id == session.session_id and "applied" in stored.outcome
    assert stored.payload == json.loads(payload)
    assert [m.to for m in mailoutbox] == [[lead.email]]  # "payment received"
    # the same delivery again: 200, nothing changes
    again = deliver(client, payload)
    assert again.status_code == 200 and b"already processed" in again.content
    assert Payment.objects.count() == 1 and StripeEvent.objects.count() == 1
    assert AuditEntry.objects.filter(action="payment.recorded").count() == 1


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda p: ({"secret": "whsec_someone_else"}, p), id="wrong-secret"),
        pytest.param(lambda p: ({"timestamp": int(time.time()) - 301}, p), id="stale-timestamp"),
        pytest.param(
            lambda p: ({"header": sign_then_change(p)}, p.replace("300000", "3")),
            id="body-changed-after-signing",
        ),
        pytest.param(lambda p: ({"header": ""}, p), id="no-signature"),
        pytest.param(lambda p: ({"header": "t=abc,v1=zz"}, p), id="garbled-header"),
        pytest.param(lambda p: ({"header": "t=1700000000"}, p), id="no-v1"),
        pytest.param(lambda p: ({}, p[:-5]), id="malformed-json"),
        pytest.param(lambda p: ({}, json.dumps({"object": "event"})), id="no-id-or-type"),
    ],
)
def test_forged_stale_or_malformed_deliveries_are_refused_and_not_stored(client, ecosystem, tamper):
    invoice = open_dues_invoice(ecosystem)
    session = simulated_session(invoice)
    kwargs, payload = tamper(checkout_event(session, amount_total=300000))
    response = deliver(client, payload, **kwargs)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists() and not Payment.objects.exists()
    invoice.refresh_from_db()
    assert invoice.status == "open"


def sign_then_change(payload: str) -> str:
    return signature_header(payload, WEBHOOK_SECRET)


def test_several_v1_signatures_during_secret_rotation(client, settings, ecosystem):
    """While a secret is rolled, Stripe signs with the old and the new one."""
    invoice = open_dues_invoice(ecosystem)
    payload = checkout_event(simulated_session(invoice))
    header = signature_header(payload, ["whsec_old_secret", WEBHOOK_SECRET])
    assert header.count("v1=") == 2
    settings.STRIPE_WEBHOOK_SECRET = "whsec_old_secret"  # before the switch
    assert deliver(client, payload, header=header).status_code == 200
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET  # after: a replay, still verified
    assert deliver(client, payload, header=header).status_code == 200
    assert StripeEvent.objects.count() == 1 and Payment.objects.count() == 1


def test_our_signer_matches_stripes_verifier():
    import stripe

    payload = checkout_event("cs_x")
    assert stripe.WebhookSignature.verify_header(
        payload, signature_header(payload, WEBHOOK_SECRET), WEBHOOK_SECRET, 300
    )


def test_webhook_accepts_only_post(client):
    assert client.get("/payments/stripe/webhook/").status_code == 405


def test_without_a_webhook_secret_everything_is_refused(client, settings, ecosystem):
    settings.STRIPE_SECRET_KEY = "sk_live_x"  # Stripe mode, secret forgotten
    settings.STRIPE_WEBHOOK_SECRET = ""
    payload = checkout_event(simulated_session(open_dues_invoice(ecosystem)))
    assert deliver(client, payload).status_code == 400
    assert not StripeEvent.objects.exists()


def test_amount_mismatch_is_held_and_flagged_never_paid(client, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    session = simulated_session(invoice, remote_amount=250_000)
    assert deliver(client, checkout_event(session)).status_code == 200
    _refresh(invoice, session)
    assert session.status == "held" and session.payment.status == Payment.Status.HELD
    assert (invoice.status, invoice.paid_cents) == ("open", 0)
    assert invoice.flagged and "amount mismatch" in invoice.flag_reason


def test_currency_mismatch_is_held(client, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    session = simulated_session(invoice, remote_currency="EUR")
    deliver(client, checkout_event(session))
    _refresh(invoice, session)
    assert session.status == "held" and invoice.paid_cents == 0 and invoice.flagged
    assert "currency" in invoice.flag_reason


def test_session_opened_for_an_old_balance_is_held(client, ecosystem):
    """The lead opened a checkout for 3,000, then a 1,000 check was recorded, then the
    card payment of 3,000 arrived: held for a refund, the invoice not overpaid."""
    invoice = open_dues_invoice(ecosystem)
    session = simulated_session(invoice)
    record_check(invoice, 100_000, "CHK-1")
    deliver(client, checkout_event(session))
    _refresh(invoice, session)
    assert session.status == "held"
    assert (invoice.paid_cents, invoice.balance_cents) == (100_000, 200_000)
    assert invoice.flagged


def test_events_in_any_order_reread_the_session(client, ecosystem):
    """async_payment_succeeded can arrive before checkout.session.completed: the session's
    state is read again from the provider, so order does not matter."""
    invoice = open_dues_invoice(ecosystem)
    session = simulated_session(invoice)
    first = deliver(client, checkout_event(session, "checkout.session.async_payment_succeeded"))
    second = deliver(client, checkout_event(session, payment_status="unpaid"))
    assert first.status_code == second.status_code == 200
    invoice.refresh_from_db()
    assert invoice.status == "paid" and Payment.objects.count() == 1
    assert StripeEvent.objects.count() == 2


def test_bank_payment_processing_then_failed(
    client, ecosystem, lead, mailoutbox, django_capture_on_commit_callbacks
):
    invoice = open_dues_invoice(ecosystem)
    session = simulated_session(invoice, paid=False, status="complete")  # debit pending
    deliver(client, checkout_event(session, payment_status="unpaid"))
    session.refresh_from_db()
    assert session.status == "processing"
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, checkout_event(session, "checkout.session.async_payment_failed"))
    session.refresh_from_db()
    invoice.refresh_from_db()
    assert session.status == "failed" and invoice.status == "open" and invoice.paid_cents == 0
    assert "Payment failed" in mailoutbox[-1].subject and ecosystem.name in mailoutbox[-1].body


def test_expired_session(client, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    session = simulated_session(invoice, paid=False, status="expired")
    deliver(client, checkout_event(session, "checkout.session.expired", status="expired"))
    session.refresh_from_db()
    assert session.status == "expired" and not Payment.objects.exists()


def test_refunds_are_cumulative_and_order_proof(client, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    session = simulated_session(invoice)
    deliver(client, checkout_event(session))
    pi = payment_intent_of(session)
    # Stripe reports the cumulative amount refunded: 500, then 1,200 — delivered reversed
    later, earlier = charge_refunded(pi, 120_000), charge_refunded(pi, 50_000)
    assert deliver(client, later).status_code == 200
    assert deliver(client, earlier).status_code == 200
    payment = Payment.objects.get()
    invoice.refresh_from_db()
    assert payment.refunded_cents == 120_000
    assert (invoice.status, invoice.paid_cents, invoice.balance_cents) == (
        "open",
        180_000,
        120_000,
    )
    assert AuditEntry.objects.filter(action="payment.refunded").count() == 1


def test_refund_arriving_before_the_payment_is_applied_with_it(client, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    session = simulated_session(invoice)
    pi = payment_intent_of(session)
    response = deliver(client, charge_refunded(pi, 300_000))
    assert response.status_code == 200 and b"waiting" in response.content
    deliver(client, checkout_event(session))
    invoice.refresh_from_db()
    assert Payment.objects.get().refunded_cents == 300_000
    assert (invoice.status, invoice.paid_cents) == ("open", 0)


def test_dispute_flags_the_invoice_whatever_the_order(client, ecosystem, other_ecosystem):
    for order in ("dispute-first", "payment-first"):
        invoice = open_dues_invoice(ecosystem if order == "payment-first" else other_ecosystem)
        session = simulated_session(invoice)
        events = [checkout_event(session), dispute_created(payment_intent_of(session))]
        for payload in events if order == "payment-first" else reversed(events):
            assert deliver(client, payload).status_code == 200
        invoice.refresh_from_db()
        assert invoice.flagged and "dispute" in invoice.flag_reason, order
        assert invoice.status == "paid"  # the money stays until Stripe decides
    assert AuditEntry.objects.filter(action="invoice.flagged").count() == 2


def test_unknown_session_or_type_is_stored_answered_and_changes_nothing(client, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    unknown_session = checkout_event(
        "cs_live_not_ours", metadata={"invoice_id": "999999"}, amount_total=300000
    )
    unknown_type = event("customer.created", {"id": "cus_1", "object": "customer"})
    for payload in (unknown_session, unknown_type):
        response = deliver(client, payload)
        assert response.status_code == 200 and b"ignored" in response.content
    assert StripeEvent.objects.count() == 2
    assert all(e.outcome.startswith("ignored") for e in StripeEvent.objects.all())
    invoice.refresh_from_db()
    assert invoice.paid_cents == 0 and not invoice.flagged and not Payment.objects.exists()


def test_busy_lock_answers_503_so_stripe_retries(client, ecosystem, monkeypatch):
    invoice = open_dues_invoice(ecosystem)
    payload = checkout_event(simulated_session(invoice))

    def busy(*args, **kwargs):
        raise Busy("busy")

    monkeypatch.setattr("members.billing.services.checkout.lock_one", busy)
    assert deliver(client, payload).status_code == 503
    stored = StripeEvent.objects.get()
    assert stored.processed_at is None
    monkeypatch.undo()
    assert deliver(client, payload).status_code == 200  # Stripe's retry
    invoice.refresh_from_db()
    assert invoice.status == "paid"


# --- hooks for other apps ---------------------------------------------------------------------


def test_settled_and_refunded_hooks_run_inside_the_transaction(client, ecosystem):
    calls = []

    def settled(*, invoice, payment, acting_user):
        calls.append(("settled", invoice.number, invoice.status, connection.in_atomic_block))

    def refunded(*, invoice, payment, refunded_cents, acting_user):
        calls.append(("refunded", invoice.number, refunded_cents, invoice.status))

    on_settled.register("convening", settled)
    on_refunded.register("convening", refunded)
    try:
        seats = seats_invoice(ecosystem)
        dues = open_dues_invoice(ecosystem)
        for invoice in (dues, seats):  # only the convening hook fires
            session = simulated_session(invoice)
            deliver(client, checkout_event(session))
        deliver(client, charge_refunded(payment_intent_of(session), 45_000, amount=45_000))
    finally:
        on_settled.unregister("convening", settled)
        on_refunded.unregister("convening", refunded)
    assert calls == [
        ("settled", seats.number, "paid", True),
        ("refunded", seats.number, 45_000, "open"),
    ]


def test_a_failing_hook_rolls_the_payment_back_and_stripe_retries(client, ecosystem):
    from slecop.errors import DomainError

    def broken(**kwargs):
        raise DomainError("seat service unavailable")

    seats = seats_invoice(ecosystem, 75_000, kind="service")
    payload = checkout_event(simulated_session(seats))
    on_settled.register("service", broken)
    try:
        assert deliver(client, payload).status_code == 503
        assert not Payment.objects.exists()
        seats.refresh_from_db()
        assert seats.status == "open"
    finally:
        on_settled.unregister("service", broken)
    assert deliver(client, payload).status_code == 200
    seats.refresh_from_db()
    assert seats.status == "paid" and CheckoutSession.objects.get().status == "paid"


def test_hooks_accept_dotted_paths(ecosystem):
    on_settled.register("service", "tests.members.test_dues_webhooks.record_settled")
    try:
        invoice = seats_invoice(ecosystem, 10_000, kind="service")
        pay_invoice(invoice)
    finally:
        on_settled.unregister("service", "tests.members.test_dues_webhooks.record_settled")
    assert [invoice.number] == SETTLED
    assert Invoice.objects.get(pk=invoice.pk).status == "paid"


SETTLED: list[str] = []


def record_settled(*, invoice, payment, acting_user):
    SETTLED.append(invoice.number)


# --- issue 22, item 5: signed but hostile bodies never give a 500 --------------------------


@pytest.mark.parametrize("body", ["[]", "42", "null", '"evt_1"', "true", "[{}]"])
def test_signed_json_that_is_not_an_event_object_is_refused_and_not_stored(client, body):
    response = deliver(client, body)  # correctly signed
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_nul_in_a_free_text_field_is_stored_as_a_replacement_and_the_event_handled(
    client, ecosystem
):
    """PostgreSQL cannot store NUL in jsonb: the event was never saved and every retry of
    a real payment failed. The text keeps U+FFFD in its place; the payment applies."""
    invoice = open_dues_invoice(ecosystem)
    session = simulated_session(invoice)
    payload = checkout_event(
        session, customer_details={"name": "Ada\u0000Lovelace"}, metadata={"n\u0000": "x\u0000"}
    )
    assert "\\u0000" in payload
    response = deliver(client, payload)
    assert response.status_code == 200, response.content
    stored = StripeEvent.objects.get()
    obj = stored.payload["data"]["object"]
    assert obj["customer_details"]["name"] == "Ada\ufffdLovelace"
    assert obj["metadata"] == {"n\ufffd": "x\ufffd"}
    assert "applied" in stored.outcome
    invoice.refresh_from_db()
    assert invoice.status == "paid"


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda s: checkout_event(s, event_id="evt_\u0000x"), id="event-id"),
        pytest.param(lambda s: checkout_event("cs_\u0000" + s.session_id), id="object-id"),
        pytest.param(
            lambda s: event("checkout.session.\u0000completed", {"id": s.session_id}), id="type"
        ),
        pytest.param(lambda s: charge_refunded("pi_\u0000x", 300_000), id="payment-intent"),
    ],
)
def test_nul_in_an_id_or_the_type_is_stored_as_malformed_and_not_processed(
    client, ecosystem, build
):
    invoice = open_dues_invoice(ecosystem)
    session = simulated_session(invoice)
    payload = build(session)
    response = deliver(client, payload)
    assert response.status_code == 200 and b"malformed" in response.content
    stored = StripeEvent.objects.get()
    assert stored.outcome.startswith("malformed") and stored.processed_at
    assert stored.payload["raw_body"] == payload  # what arrived, NULs still escaped
    assert "\x00" not in stored.event_id + stored.type + stored.object_id
    invoice.refresh_from_db()
    assert invoice.status == "open" and not Payment.objects.exists()
    # Stripe's retry of the same delivery: answered, nothing more
    again = deliver(client, payload)
    assert again.status_code == 200 and StripeEvent.objects.count() == 1


# --- issue 22, item 10: a waiting event says what became of it ----------------------------


def test_a_refund_stored_as_waiting_says_what_became_of_it_once_the_payment_arrives(
    client, ecosystem
):
    invoice = open_dues_invoice(ecosystem)
    session = simulated_session(invoice)
    pi = payment_intent_of(session)
    deliver(client, charge_refunded(pi, 100_000))
    refund = StripeEvent.objects.get(type="charge.refunded")
    assert refund.outcome.startswith("waiting: no payment")
    deliver(client, checkout_event(session))
    refund.refresh_from_db()
    assert refund.outcome == f"refunded 1,000.00 USD on {invoice.number}"
    assert Payment.objects.get().refunded_cents == 100_000


def test_a_dispute_stored_as_waiting_says_what_became_of_it(client, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    session = simulated_session(invoice)
    deliver(client, dispute_created(payment_intent_of(session)))
    dispute = StripeEvent.objects.get(type="charge.dispute.created")
    assert dispute.outcome.startswith("waiting")
    deliver(client, checkout_event(session))
    dispute.refresh_from_db()
    assert dispute.outcome.startswith(f"flagged {invoice.number} for dispute dp_")
