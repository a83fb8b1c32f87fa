"""A lead's invoices: list, invoice page, printable invoice and receipts, paying online
(Stripe Checkout or the local simulator) and applying for a scholarship."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members.billing import selectors
from members.billing.forms import ScholarshipForm
from members.billing.payments.providers import active_provider
from members.billing.payments.signing import simulator_enabled
from members.billing.payments.simulator import return_url
from members.billing.payments.webhooks import simulate_payment
from members.billing.services import scholarships
from members.billing.services.checkout import checkout_fulfil, checkout_start
from members.dashboard import PANEL_CACHE_SECONDS, ecosystem_namespace
from members.models import (
    CheckoutSession,
    Ecosystem,
    Invoice,
    Payment,
    ScholarshipApplication,
    SimulatedCheckout,
)
from members.money import format_cents
from members.permissions import ecosystem_view
from slecop.cache import versioned
from slecop.errors import DomainError
from slecop.mail import absolute_url
from slecop.web import add_error_to_form, post_data

# The return page refreshes itself while a payment is confirmed, then stops asking.
RETURN_REFRESH_SECONDS = 4
RETURN_MAX_REFRESHES = 30
PAYMENT_HISTORY = 100


def _invoice(ecosystem: Ecosystem, number: str) -> Invoice:
    return get_object_or_404(
        Invoice.objects.select_related("membership_year").exclude(status=Invoice.Status.DRAFT),
        ecosystem=ecosystem,
        number=number,
    )


def _invoice_url(invoice: Invoice, ecosystem: Ecosystem) -> str:
    return reverse(
        "members:invoice_detail", kwargs={"ecosystem": ecosystem.slug, "number": invoice.number}
    )


@ecosystem_view("view")
def invoice_list(request, ecosystem: Ecosystem):
    page = Paginator(selectors.ecosystem_invoices(ecosystem), 25).get_page(request.GET.get("page"))
    payments = list(selectors.ecosystem_payments(ecosystem)[: PAYMENT_HISTORY + 1])
    return render(
        request,
        "members/invoice_list.html",
        {
            "ecosystem": ecosystem,
            "page_obj": page,
            "payments": payments[:PAYMENT_HISTORY],
            "more_payments": len(payments) > PAYMENT_HISTORY,
            "can_act": request.ecosystem_access.can_act,
        },
    )


def _invoice_rows(invoice: Invoice) -> dict:
    """What the invoice page and the printable invoice show of `invoice`: it, its lines,
    payments, scholarship applications (and the pending one) and a processing checkout."""
    applications = list(invoice.scholarships.order_by("-submitted_at"))
    return {
        "invoice": invoice,
        "lines": list(invoice.lines.all()),
        "payments": list(invoice.payments.all()),
        "scholarships": applications,
        "pending_scholarship": next(
            (a for a in applications if a.status == ScholarshipApplication.Status.SUBMITTED),
            None,
        ),
        "processing": invoice.checkouts.filter(status=CheckoutSession.Status.PROCESSING).first(),
    }


def _invoice_context(request, ecosystem: Ecosystem, rows: dict) -> dict:
    """The invoice page's context: `rows` (`_invoice_rows`) and what depends on the
    request (whether the viewer may act, the payment provider, today)."""
    return {
        "ecosystem": ecosystem,
        **rows,
        "can_act": request.ecosystem_access.can_act,
        "provider": active_provider(),
        "staff_email": settings.STAFF_NOTIFICATION_EMAIL,
        "today": timezone.localdate(),
    }


@ecosystem_view("view")
def invoice_detail(request, ecosystem: Ecosystem, number: str):
    # What the page shows of the invoice is the same for every viewer: kept per ecosystem
    # and number under the ecosystem's version key, which every write of the invoice, a
    # line, payment, scholarship application or checkout bumps (members.apps), 60 s at
    # most. The payment form renders on every view, with the request's CSRF token.
    def read():
        try:
            return _invoice_rows(_invoice(ecosystem, number))
        except Http404:
            return None

    rows = versioned(
        ecosystem_namespace(ecosystem.pk),
        ("invoice", ecosystem.pk, number),
        read,
        timeout=PANEL_CACHE_SECONDS,
    )
    if rows is None:
        raise Http404
    context = _invoice_context(request, ecosystem, rows) | {"number": number}
    return render(request, "members/invoice_detail.html", context)


@ecosystem_view("view")
def invoice_print(request, ecosystem: Ecosystem, number: str):
    rows = _invoice_rows(_invoice(ecosystem, number))
    return render(request, "members/invoice_print.html", _invoice_context(request, ecosystem, rows))


@ecosystem_view("view")
def payment_receipt(request, ecosystem: Ecosystem, pk: int):
    payment = get_object_or_404(
        Payment.objects.select_related("invoice", "invoice__membership_year"),
        pk=pk,
        invoice__ecosystem=ecosystem,
    )
    return render(
        request,
        "members/receipt.html",
        {"ecosystem": ecosystem, "payment": payment, "invoice": payment.invoice},
    )


@require_POST
@ecosystem_view("act")
def invoice_pay(request, ecosystem: Ecosystem, number: str):
    """Open a checkout for the balance and send the lead to it (Stripe's hosted page or the
    local simulator). Nothing is charged here."""
    invoice = _invoice(ecosystem, number)
    provider = active_provider()
    if provider is None:
        messages.error(request, _("Online payment is not available. Pay by check, ACH or wire."))
        return redirect(_invoice_url(invoice, ecosystem))
    base = {"ecosystem": ecosystem.slug, "number": invoice.number}
    success = reverse("members:payment_return", kwargs=base)
    cancel = reverse("members:payment_cancelled", kwargs=base)
    # Stripe gets the canonical site address (stable across requests, so the idempotency
    # key's parameters never change); the simulator stays on the host the lead uses.
    build = absolute_url if provider.live else request.build_absolute_uri
    try:
        session = checkout_start(
            acting_user=request.user,
            invoice=invoice,
            provider=provider,
            success_url=build(success) + "?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=build(cancel),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_invoice_url(invoice, ecosystem))
    return _see_other(session.url)


def _see_other(url: str) -> HttpResponseRedirect:
    """303: the browser follows a POST's redirect with a GET (Stripe's hosted page)."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


@ecosystem_view("view")
def payment_return(request, ecosystem: Ecosystem, number: str):
    """Where the payer lands after paying. Fulfils the session itself if the webhook has
    not yet (the same idempotent fulfilment), then shows paid, held, or "processing" with
    a plain refresh until the payment is confirmed."""
    invoice = _invoice(ecosystem, number)
    session = get_object_or_404(
        CheckoutSession, invoice=invoice, session_id=request.GET.get("session_id", "")[:255]
    )
    problem = None
    if session.status not in CheckoutSession.FINAL:
        try:
            result = checkout_fulfil(session_id=session.session_id)
        except DomainError as exc:  # provider unreachable, lock busy: keep waiting
            problem = exc.message
        else:
            session = result.session
        invoice.refresh_from_db()
    try:
        refreshes = max(0, min(int(request.GET.get("n", "0")), RETURN_MAX_REFRESHES))
    except ValueError:
        refreshes = 0
    waiting = session.status in (CheckoutSession.Status.OPEN, CheckoutSession.Status.PROCESSING)
    refresh_url = None
    if waiting and refreshes < RETURN_MAX_REFRESHES:
        refresh_url = f"{request.path}?session_id={session.session_id}&n={refreshes + 1}"
    return render(
        request,
        "members/payment_return.html",
        {
            "ecosystem": ecosystem,
            "invoice": invoice,
            "session": session,
            "payment": session.payment,
            "standing": selectors.ecosystem_standing(ecosystem),
            "problem": problem,
            "refresh_url": refresh_url,
            "refresh_seconds": RETURN_REFRESH_SECONDS,
            "gave_up": waiting and refresh_url is None,
        },
    )


@ecosystem_view("view")
def payment_cancelled(request, ecosystem: Ecosystem, number: str):
    """The payer left the checkout without paying: back to the open invoice, with its
    balance and what to do — not an error page."""
    invoice = _invoice(ecosystem, number)
    if invoice.status == Invoice.Status.OPEN and invoice.balance_cents > 0:
        messages.warning(
            request,
            _(
                "Payment not completed — nothing was charged. The balance of %(balance)s is "
                "still open; you can pay it now, later, or by check, ACH or wire."
            )
            % {"balance": format_cents(invoice.balance_cents, invoice.currency)},
        )
    return redirect(_invoice_url(invoice, ecosystem))


@require_http_methods(["GET", "POST"])
@ecosystem_view("act")
def payment_simulator(request, ecosystem: Ecosystem, number: str, session_id: str):
    """The local stand-in for Stripe's hosted checkout (only without Stripe keys)."""
    if not simulator_enabled():
        raise Http404(_("The payment simulator is off."))
    invoice = _invoice(ecosystem, number)
    session = get_object_or_404(
        CheckoutSession, invoice=invoice, session_id=session_id, provider="simulator"
    )
    simulated = _simulated(session_id)
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            return redirect(return_url(simulated.cancel_url, session_id))
        try:
            result = simulate_payment(session_id=session_id)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(_invoice_url(invoice, ecosystem))
        if result.status != 200:
            messages.error(request, _("The test payment was refused: %s") % result.message)
            return redirect(_invoice_url(invoice, ecosystem))
        return redirect(return_url(simulated.success_url, session_id))
    return render(
        request,
        "members/payment_simulator.html",
        {"ecosystem": ecosystem, "invoice": invoice, "session": session, "simulated": simulated},
    )


def _simulated(session_id: str):
    return get_object_or_404(SimulatedCheckout, session_id=session_id)


@require_http_methods(["GET", "POST"])
@ecosystem_view("act")
def scholarship_apply(request, ecosystem: Ecosystem, number: str):
    invoice = _invoice(ecosystem, number)
    pending = invoice.scholarships.filter(status=ScholarshipApplication.Status.SUBMITTED).first()
    if invoice.kind != Invoice.Kind.DUES:
        raise Http404(_("Scholarships apply to membership dues only."))
    form = ScholarshipForm(post_data(request), invoice=invoice)
    can_apply = pending is None and invoice.status == Invoice.Status.OPEN and invoice.balance_cents
    if request.method == "POST" and can_apply and form.is_valid():
        try:
            scholarships.scholarship_apply(
                acting_user=request.user,
                invoice=invoice,
                full_waiver=form.full_waiver,
                requested_cents=form.cleaned_data.get("requested_amount"),
                narrative=form.cleaned_data["narrative"],
                budget_context=form.cleaned_data["budget_context"],
            )
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your scholarship application was sent to the stewardship team. The "
                    "invoice stays open while they review it; you will hear back by email."
                ),
            )
            return redirect(_invoice_url(invoice, ecosystem))
    status = 200
    if request.method == "POST":
        status = 409 if not can_apply else 400
    return render(
        request,
        "members/scholarship_apply.html",
        {
            "ecosystem": ecosystem,
            "invoice": invoice,
            "form": form,
            "pending": pending,
            "can_apply": can_apply,
        },
        status=status,
    )
