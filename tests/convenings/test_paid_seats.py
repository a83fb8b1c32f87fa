"""Paid extra seats: held 30 minutes on an invoice, confirmed once by the payment webhook
(replays included), released by the Celery task when unpaid, released on refund."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from convenings.models import Registration
from convenings.services import paid_holds_release, registration_cancel
from convenings.tasks import release_expired_holds
from members.models import AuditEntry, Invoice, Payment
from slecop.errors import Conflict
from tests.convenings.factories import ConveningFactory, attendee, register
from tests.factories import EcosystemFactory, make_in_good_standing
from tests.members.dues_helpers import (
    charge_refunded,
    checkout_event,
    deliver,
    payment_intent_of,
    simulated_session,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulator")]


@pytest.fixture
def selling():
    return ConveningFactory(capacity=5, extra_seat_cents=45_000)


def _fill_included(convening, ecosystem):
    register(convening, ecosystem)
    register(convening, ecosystem)


def _hold(convening, ecosystem, **kwargs) -> Registration:
    return register(convening, ecosystem, accept_paid_seat=True, **kwargs)


def test_third_attendee_is_offered_a_paid_seat_then_held_on_an_invoice(selling, member_ecosystem):
    _fill_included(selling, member_ecosystem)
    with pytest.raises(Conflict) as exc:
        register(selling, member_ecosystem)
    assert exc.value.code == "paid_seat_offered"
    assert "450.00" in exc.value.message and "30 minutes" in exc.value.message
    held = _hold(selling, member_ecosystem)
    assert (held.status, held.seat_kind, held.seat_no) == ("pending_payment", "paid", None)
    assert held.hold_expires_at - timezone.now() <= timedelta(minutes=30)
    invoice = held.invoice
    assert (invoice.kind, invoice.status, invoice.total_cents) == ("convening", "open", 45_000)
    assert invoice.lines.get().kind == "convening_seat"


def test_lapsed_ecosystem_is_refused_included_seats_when_extras_are_sold(selling):
    from tests.factories import make_lapsed

    ecosystem = EcosystemFactory()
    make_lapsed(ecosystem)
    with pytest.raises(Conflict) as exc:
        register(selling, ecosystem)
    assert exc.value.code == "not_in_good_standing"


def test_no_paid_seat_when_the_convening_is_full(member_ecosystem):
    convening = ConveningFactory(capacity=2, extra_seat_cents=45_000)
    _fill_included(convening, member_ecosystem)
    with pytest.raises(Conflict) as exc:
        _hold(convening, member_ecosystem)
    assert exc.value.code == "full"


def test_webhook_confirms_the_paid_seat_exactly_once_under_replay(
    client, selling, member_ecosystem, mailoutbox, django_capture_on_commit_callbacks
):
    _fill_included(selling, member_ecosystem)
    held = _hold(selling, member_ecosystem, attendee=attendee("Kai Lee", "kai@example.org"))
    session = simulated_session(held.invoice)
    payload = checkout_event(session)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):  # the same event delivered again, then re-sent byte for byte
            assert deliver(client, payload).status_code == 200
        assert deliver(client, checkout_event(session)).status_code == 200  # a new event id
    held.refresh_from_db()
    assert (held.status, held.hold_expires_at) == ("confirmed", None)
    assert Payment.objects.filter(invoice=held.invoice).count() == 1
    assert AuditEntry.objects.filter(action="convening.paid_seat_confirmed").count() == 1
    confirmations = [m for m in mailoutbox if "kai@example.org" in m.to]
    assert len(confirmations) == 1
    assert confirmations[0].attachments[0][2] == "text/calendar"
    # the paid seat survives the release task
    assert paid_holds_release(now=timezone.now() + timedelta(hours=1)) == 0


def test_expired_hold_is_released_by_the_task_and_frees_capacity(
    selling, member_ecosystem, lead, mailoutbox, django_capture_on_commit_callbacks
):
    _fill_included(selling, member_ecosystem)
    held = _hold(selling, member_ecosystem)
    others = EcosystemFactory.create_batch(3)
    for other in others:
        make_in_good_standing(other)
    register(selling, others[0])
    register(selling, others[1])  # 5 of 5 seats taken, with the hold
    waiting = register(selling, others[2])
    assert waiting.status == "waitlisted"
    assert paid_holds_release() == 0  # not expired yet
    Registration.objects.filter(pk=held.pk).update(
        hold_expires_at=timezone.now() - timedelta(seconds=1)
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert release_expired_holds.delay().get() == 1
        assert release_expired_holds.delay().get() == 0  # idempotent
    released = [m for m in mailoutbox if m.to == [lead.email]]
    assert len(released) == 1 and "Extra seat released" in released[0].subject
    held.refresh_from_db()
    assert (held.status, held.cancel_reason) == ("cancelled", "hold_expired")
    assert Invoice.objects.get(pk=held.invoice_id).status == "void"
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"  # the freed seat went to the first in line


def test_payment_after_the_hold_expired_is_held_for_staff_not_a_seat(
    client, selling, member_ecosystem
):
    _fill_included(selling, member_ecosystem)
    held = _hold(selling, member_ecosystem)
    session = simulated_session(held.invoice)  # the lead opened checkout, then went away
    paid_holds_release(now=timezone.now() + timedelta(minutes=31))
    assert deliver(client, checkout_event(session)).status_code == 200
    held.refresh_from_db()
    assert held.status == "cancelled"
    payment = Payment.objects.get(invoice=held.invoice)
    assert payment.status == "held"
    assert Invoice.objects.get(pk=held.invoice_id).flagged


def test_lead_cancels_a_held_seat_and_its_invoice_is_voided(selling, member_ecosystem):
    _fill_included(selling, member_ecosystem)
    held = _hold(selling, member_ecosystem)
    registration_cancel(acting_user=None, registration=held)
    assert Invoice.objects.get(pk=held.invoice_id).status == "void"


def test_refund_releases_the_paid_seat(client, selling, member_ecosystem):
    _fill_included(selling, member_ecosystem)
    held = _hold(selling, member_ecosystem)
    session = simulated_session(held.invoice)
    deliver(client, checkout_event(session))
    held.refresh_from_db()
    assert held.status == "confirmed"
    deliver(client, charge_refunded(payment_intent_of(session), 45_000, amount=45_000))
    held.refresh_from_db()
    assert (held.status, held.cancel_reason) == ("cancelled", "refunded")


def test_lead_holds_and_pays_an_extra_seat_end_to_end(
    lead_client, selling, member_ecosystem, mailoutbox, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from members.models import CheckoutSession

    _fill_included(selling, member_ecosystem)
    register_url = reverse(
        "convenings:register", kwargs={"ecosystem": member_ecosystem.slug, "slug": selling.slug}
    )
    form = {
        "attendee_name": "Lu Wang",
        "attendee_email": "lu@example.org",
        "attendee_role": "",
        "dietary_needs": "",
        "accessibility_needs": "",
        "accept_paid_seat": "on",
    }
    held = lead_client.post(register_url, form)
    registration = Registration.objects.get(attendee_email="lu@example.org")
    invoice = registration.invoice
    assert held["Location"] == invoice.get_absolute_url()
    page = lead_client.get(invoice.get_absolute_url()).text
    assert "450.00 USD" in page
    pay_url = reverse(
        "members:invoice_pay",
        kwargs={"ecosystem": member_ecosystem.slug, "number": invoice.number},
    )
    assert lead_client.post(pay_url).status_code == 303
    session = CheckoutSession.objects.get(invoice=invoice)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lead_client.post(session.url, {"action": "pay"})
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert any("lu@example.org" in m.to for m in mailoutbox)
    lead_page = lead_client.get(
        reverse("convenings:ecosystem_registrations", kwargs={"ecosystem": member_ecosystem.slug})
    ).text
    assert "Extra seat (paid)" in lead_page


def test_a_held_seat_invoice_offers_card_payment_only(lead_client, selling, member_ecosystem):
    from django.urls import reverse

    _fill_included(selling, member_ecosystem)
    register_url = reverse(
        "convenings:register", kwargs={"ecosystem": member_ecosystem.slug, "slug": selling.slug}
    )
    form = {
        "attendee_name": "Lu Wang",
        "attendee_email": "lu@example.org",
        "attendee_role": "",
        "dietary_needs": "",
        "accessibility_needs": "",
        "accept_paid_seat": "on",
    }
    lead_client.post(register_url, form)
    invoice = Registration.objects.get(attendee_email="lu@example.org").invoice
    page = lead_client.get(invoice.get_absolute_url()).text
    assert "Pay by check, ACH or wire" not in page and "pay it online by card" in page
