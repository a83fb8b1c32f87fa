"""A lead's dues pages: invoices, paying through the simulator, the return and cancel
pages, printable invoice and receipts, scholarships; who may see and pay what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.billing.services import scholarship_apply
from members.models import (
    AuditEntry,
    CheckoutSession,
    Invoice,
    Payment,
    ScholarshipApplication,
    StripeEvent,
)
from tests.factories import (
    EcosystemFactory,
    make_lead,
    make_member,
    open_dues_invoice,
    pay_invoice,
)
from tests.members.dashboard_helpers import assert_within_dashboard_budget, dashboard_queries
from tests.members.dues_helpers import (
    full_waiver_application,
    record_check,
    seats_invoice,
    simulated_session,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulator")]


def url(name: str, invoice: Invoice, **extra) -> str:
    return reverse(
        f"members:{name}",
        kwargs={"ecosystem": invoice.ecosystem.slug, "number": invoice.number, **extra},
    )


def test_lead_pays_through_the_simulator(
    lead_client, ecosystem, lead, mailoutbox, django_capture_on_commit_callbacks
):
    invoice = open_dues_invoice(ecosystem)
    page = lead_client.get(invoice.get_absolute_url()).content.decode()
    assert "Pay dues · 3,000.00 USD" in page and "test mode" in page
    response = lead_client.post(url("invoice_pay", invoice))
    assert response.status_code == 303
    session = CheckoutSession.objects.get()
    assert session.provider == "simulator" and response["Location"] == session.url
    simulator = lead_client.get(session.url)
    body = simulator.content.decode()
    assert "Test payment — no money moves" in body and "Pay 3,000.00 USD (test)" in body
    with django_capture_on_commit_callbacks(execute=True):
        paid = lead_client.post(session.url, {"action": "pay"})
    assert paid.status_code == 302
    assert paid["Location"].endswith(f"pay/return/?session_id={session.session_id}")
    # it went through the webhook code path: a signed event stored and processed
    stored = StripeEvent.objects.get()
    assert stored.type == "checkout.session.completed" and "applied" in stored.outcome
    done = lead_client.get(paid["Location"]).content.decode()
    assert "Payment received" in done and "Good standing" in done
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    payment = Payment.objects.get()
    receipt = lead_client.get(
        reverse("members:payment_receipt", kwargs={"ecosystem": ecosystem.slug, "pk": payment.pk})
    ).content.decode()
    assert "Receipt" in receipt and "3,000.00 USD" in receipt and "no money moved" in receipt
    assert mailoutbox[-1].to == [lead.email]
    assert AuditEntry.objects.filter(action="checkout.started", actor=lead).exists()


def test_cancelled_payment_returns_to_the_open_invoice_with_its_balance(lead_client, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    lead_client.post(url("invoice_pay", invoice))
    session = CheckoutSession.objects.get()
    cancelled = lead_client.post(session.url, {"action": "cancel"})
    assert cancelled["Location"].endswith(url("payment_cancelled", invoice))
    page = lead_client.get(cancelled["Location"], follow=True)
    body = page.content.decode()
    assert page.redirect_chain[-1][0] == invoice.get_absolute_url()
    assert "Payment not completed — nothing was charged" in body
    assert "The balance of 3,000.00 USD is still open" in body
    assert "Pay dues" in body  # can try again at once
    assert not Payment.objects.exists()


def test_any_open_invoice_can_be_paid_the_same_way(lead_client, ecosystem):
    seats = seats_invoice(ecosystem)
    dashboard = lead_client.get(ecosystem.get_dashboard_url()).content.decode()
    assert "Pay invoice · 450.00 USD" in dashboard
    lead_client.post(url("invoice_pay", seats))
    session = CheckoutSession.objects.get(invoice=seats)
    assert session.amount_cents == 45_000
    lead_client.post(session.url, {"action": "pay"})
    seats.refresh_from_db()
    assert seats.status == "paid"
    assert (
        "Apply for a scholarship" not in lead_client.get(seats.get_absolute_url()).content.decode()
    )


def test_nothing_to_pay_is_a_message(lead_client, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    pay_invoice(invoice)
    response = lead_client.post(url("invoice_pay", invoice), follow=True)
    assert "has nothing left to pay" in response.content.decode()
    assert not CheckoutSession.objects.exists()


def test_without_any_provider_leads_are_told_how_to_pay(lead_client, ecosystem, settings):
    settings.PAYMENTS_SIMULATOR = False
    invoice = open_dues_invoice(ecosystem)
    page = lead_client.get(invoice.get_absolute_url()).content.decode()
    assert "Pay dues" not in page and "Pay by check, ACH or wire" in page
    response = lead_client.post(url("invoice_pay", invoice), follow=True)
    assert "Online payment is not available" in response.content.decode()
    fake = url("payment_simulator", invoice, session_id="cs_sim_x")
    assert lead_client.get(fake).status_code == 404


def test_member_sees_but_cannot_pay_or_apply(client, ecosystem, member):
    invoice = open_dues_invoice(ecosystem)
    client.force_login(member)
    page = client.get(invoice.get_absolute_url()).content.decode()
    assert "3,000.00" in page and "Pay dues" not in page
    assert client.post(url("invoice_pay", invoice)).status_code == 403
    assert client.get(url("scholarship_apply", invoice)).status_code == 403
    assert not CheckoutSession.objects.exists()


def test_another_ecosystems_lead_can_neither_see_nor_pay(client, ecosystem, other_lead):
    invoice = open_dues_invoice(ecosystem)
    payment = pay_invoice(open_dues_invoice(ecosystem, 2025))
    client.force_login(other_lead)
    other_slug = other_lead.ecosystem_roles.get().ecosystem.slug
    for name in ("invoice_detail", "invoice_print", "invoice_pay", "scholarship_apply"):
        for method in (client.get, client.post):
            assert method(url(name, invoice)).status_code in (403, 405), name
            # through their own ecosystem's URL, our invoice does not exist
            own = reverse(
                f"members:{name}", kwargs={"ecosystem": other_slug, "number": invoice.number}
            )
            assert method(own).status_code in (404, 405), name
    receipt = reverse("members:payment_receipt", kwargs={"ecosystem": other_slug, "pk": payment.pk})
    assert client.get(receipt).status_code == 404
    # a simulator session of ours cannot be paid from their side
    session_client = client
    CheckoutSession.objects.all().delete()
    lead = make_lead(ecosystem)
    session_client.force_login(lead)
    session_client.post(url("invoice_pay", invoice))
    session = CheckoutSession.objects.get()
    session_client.force_login(other_lead)
    assert session_client.post(session.url, {"action": "pay"}).status_code == 403
    hijack = reverse(
        "members:payment_simulator",
        kwargs={
            "ecosystem": other_slug,
            "number": invoice.number,
            "session_id": session.session_id,
        },
    )
    assert session_client.post(hijack, {"action": "pay"}).status_code == 404
    invoice.refresh_from_db()
    assert invoice.status == "open" and not StripeEvent.objects.exists()


def test_return_page_for_someone_elses_session_is_404(lead_client, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    other_invoice = open_dues_invoice(EcosystemFactory())
    foreign = simulated_session(other_invoice)
    response = lead_client.get(url("payment_return", invoice) + f"?session_id={foreign.session_id}")
    assert response.status_code == 404
    assert lead_client.get(url("payment_return", invoice)).status_code == 404


def test_invoice_list_shows_balances_and_payment_history(lead_client, ecosystem):
    paid = open_dues_invoice(ecosystem, 2025)
    pay_invoice(paid, reference="CHK-2025")
    current = open_dues_invoice(ecosystem)
    response = lead_client.get(
        reverse("members:invoice_list", kwargs={"ecosystem": ecosystem.slug})
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert paid.number in body and current.number in body and "CHK-2025" in body
    assert body.index(current.number) < body.index(paid.number)  # newest first


def test_printable_invoice_and_receipt(lead_client, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    printable = lead_client.get(url("invoice_print", invoice)).content.decode()
    assert "Bill to" in printable and ecosystem.name in printable and invoice.number in printable
    assert "SLECoP membership dues" in printable and "3,000.00" in printable
    payment = pay_invoice(invoice, reference="CHK-77")
    receipt = lead_client.get(
        reverse("members:payment_receipt", kwargs={"ecosystem": ecosystem.slug, "pk": payment.pk})
    ).content.decode()
    assert "CHK-77" in receipt and f"{invoice.number}-P{payment.pk}" in receipt
    assert "Thank you" in receipt
    printable = lead_client.get(url("invoice_print", invoice)).content.decode()
    assert 'class="stamp ok">Paid' in printable


# --- scholarships ------------------------------------------------------------------------------


def _apply(client, invoice, **data):
    return client.post(url("scholarship_apply", invoice), {"extent": "partial", **data})


def test_lead_applies_for_a_partial_waiver(
    lead_client, ecosystem, lead, mailoutbox, django_capture_on_commit_callbacks
):
    invoice = open_dues_invoice(ecosystem)
    assert lead_client.get(url("scholarship_apply", invoice)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = _apply(
            lead_client,
            invoice,
            requested_amount="$1,500.50",
            narrative="Our district cut funding.",
            budget_context="Budget $120k.",
        )
    assert response.status_code == 302
    application = ScholarshipApplication.objects.get()
    assert (application.requested_cents, application.full_waiver) == (150_050, False)
    assert application.budget_context == "Budget $120k."
    assert {m.to[0] for m in mailoutbox} == {lead.email, "ties-staff@stemecosystems.org"}
    page = lead_client.get(invoice.get_absolute_url()).content.decode()
    assert "Scholarship pending" in page and "Pending review" in page
    assert "Apply for a scholarship" not in page
    # one pending application per year: the form is replaced by the pending state
    again = lead_client.get(url("scholarship_apply", invoice)).content.decode()
    assert "Pending review" in again and "<textarea" not in again
    refused = _apply(lead_client, invoice, requested_amount="100", narrative="Again")
    assert refused.status_code == 409
    assert ScholarshipApplication.objects.count() == 1


def test_full_waiver_needs_no_amount(lead_client, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    response = lead_client.post(
        url("scholarship_apply", invoice), {"extent": "full", "narrative": "We need help."}
    )
    assert response.status_code == 302
    application = ScholarshipApplication.objects.get()
    assert application.full_waiver and application.requested_cents == 300_000


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"requested_amount": "-5"}, "requested_amount", "positive amount"),
        ({"requested_amount": "abc"}, "requested_amount", "like 1500"),
        ({"requested_amount": "3000.001"}, "requested_amount", "two decimals"),
        ({"requested_amount": "1e5"}, "requested_amount", "like 1500"),
        ({"requested_amount": "NaN"}, "requested_amount", "like 1500"),
        ({"requested_amount": "9" * 400}, "requested_amount", "at most"),
        ({"requested_amount": "99999999999"}, "requested_amount", "at most the balance"),
        ({"requested_amount": "3000.01"}, "requested_amount", "at most the balance"),
        ({"requested_amount": "0"}, "requested_amount", "at least 0.01"),
        ({"requested_amount": ""}, "requested_amount", "Enter the amount"),
        ({"requested_amount": "100", "narrative": ""}, "narrative", "required"),
        ({"requested_amount": "100", "narrative": "x" * 5001}, "narrative", "at most 5000"),
        ({"requested_amount": "100", "extent": "everything"}, "extent", "valid choice"),
    ],
)
def test_bad_scholarship_input_is_a_form_error(lead_client, ecosystem, data, field, message):
    invoice = open_dues_invoice(ecosystem)
    response = _apply(lead_client, invoice, **{"narrative": "Why", **data})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert not ScholarshipApplication.objects.exists()


def test_scholarships_only_for_open_dues(lead_client, ecosystem):
    seats = seats_invoice(ecosystem)
    assert lead_client.get(url("scholarship_apply", seats)).status_code == 404
    paid = open_dues_invoice(ecosystem)
    pay_invoice(paid)
    page = lead_client.get(url("scholarship_apply", paid)).content.decode()
    assert "nothing left to waive" in page
    assert _apply(lead_client, paid, requested_amount="10", narrative="x").status_code == 409


def test_decided_scholarship_shows_on_the_invoice(lead_client, ecosystem, lead, steward_user):
    from members.billing.services import scholarship_decide

    invoice = open_dues_invoice(ecosystem)
    application = scholarship_apply(
        acting_user=lead, invoice=invoice, full_waiver=True, requested_cents=None, narrative="x"
    )
    scholarship_decide(
        acting_user=steward_user,
        application=application,
        approve=True,
        approved_cents=100_000,
        note="We can cover a third this year.",
    )
    page = lead_client.get(invoice.get_absolute_url()).content.decode()
    assert "Partially approved" in page and "We can cover a third this year." in page
    assert "2,000.00" in page  # the new balance
    assert "Apply for a scholarship" in page  # may apply again once decided


# --- "My ecosystem" ---------------------------------------------------------------------------


def test_my_ecosystem_shows_invoice_balance_and_actions(lead_client, client, ecosystem, member):
    invoice = open_dues_invoice(ecosystem)
    body = lead_client.get(ecosystem.get_dashboard_url()).content.decode()
    assert "Membership standing" in body and "Dues and payments" in body
    assert invoice.number in body and "3,000.00 USD" in body
    assert "Pay dues · 3,000.00 USD" in body and "Apply for a scholarship" in body
    assert "Invoices and payment history" in body
    client.force_login(member)
    member_view = client.get(ecosystem.get_dashboard_url()).content.decode()
    assert invoice.number in member_view and "Pay dues" not in member_view
    pay_invoice(invoice)
    body = lead_client.get(ecosystem.get_dashboard_url()).content.decode()
    assert "Nothing to pay right now" in body and "Good standing" in body


def _dashboard_queries(client, size: int) -> int:
    ecosystems = EcosystemFactory.create_batch(size)
    for other in ecosystems:
        invoice = open_dues_invoice(other)
        for i in range(size // 5):
            record_check(invoice, 1_000, f"C-{other.pk}-{i}")
    ecosystem = ecosystems[0]
    lead = make_lead(ecosystem)
    make_member(ecosystem)
    for year in range(2019, 2019 + size // 5):
        open_dues_invoice(ecosystem, year)
    client.force_login(lead)
    assert "Dues and payments" in client.get(ecosystem.get_dashboard_url()).content.decode()
    return dashboard_queries(client, ecosystem)


def test_my_ecosystem_query_count_is_constant(client):
    """Constant in the number of ecosystems, invoices and payments: the page and every
    app's panel run a fixed number of queries, whatever the data."""
    small = _dashboard_queries(client, 1)
    large = _dashboard_queries(client, 25)
    assert small == large
    assert_within_dashboard_budget(large)


def test_onboarding_item_dues_settled_or_scholarship_decided(django_assert_num_queries):
    from members.billing.selectors import ecosystems_dues_settled_or_decided
    from members.billing.services import scholarship_decide
    from members.onboarding.registry import registered_checks

    paid, declined, pending, nothing = EcosystemFactory.create_batch(4)
    pay_invoice(open_dues_invoice(paid))
    for eco in (declined, pending):
        full_waiver_application(eco)
    scholarship_decide(
        acting_user=None,
        application=ScholarshipApplication.objects.get(ecosystem=declined),
        approve=False,
    )
    open_dues_invoice(nothing)
    ids = {e.pk for e in (paid, declined, pending, nothing)}
    check = next(c for c in registered_checks() if c.key == "dues_settled")
    assert check.done_for is ecosystems_dues_settled_or_decided
    with django_assert_num_queries(2):
        done = check.done_for(ids)
    assert done == {paid.pk, declined.pk}
