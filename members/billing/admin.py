"""Admin of dues: membership years, invoices, payments, scholarships, checkouts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.contrib import admin, messages
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.admin_money import MoneyAdminMixin, money_column, money_or_dash
from members.billing.forms import (
    ClearFlagForm,
    RecordPaymentForm,
    RefundTotalForm,
    ScholarshipReviewForm,
)
from members.billing.services import invoices, payments, scholarships
from members.models import (
    CheckoutSession,
    Invoice,
    InvoiceLine,
    MembershipYear,
    Payment,
    ScholarshipApplication,
    StripeEvent,
)
from members.money import format_cents
from slecop.admin_utils import ReadOnlyAdmin, ReadOnlyInline, ServiceFormMixin, ServicePage

# --- dues and payments ----------------------------------------------------------------------
# Money never changes by editing rows here: invoices, payments and scholarships are
# read-only, and every change goes through a form that calls a service (locked, audited).


@admin.register(MembershipYear)
class MembershipYearAdmin(MoneyAdminMixin, admin.ModelAdmin):
    list_display = ["year", "dues_amount", "currency", "invoices_open_on", "due_date", "grace_days"]
    ordering = ["-year"]
    fieldsets = [
        (None, {"fields": ["year", "dues_cents", "currency"]}),
        (_("Calendar"), {"fields": ["invoices_open_on", "due_date", "grace_days"]}),
    ]

    @admin.display(description=_("Dues"))
    def dues_amount(self, obj):
        return money_or_dash(obj.dues_cents, obj.currency)

    def get_readonly_fields(self, request, obj=None):
        # Issued invoices keep their amounts; changing the year's dues affects new ones.
        if obj is not None and obj.invoices.exists():
            return ["year", "currency"]
        return []

    def has_delete_permission(self, request, obj=None):
        return False


class InvoiceLineInline(MoneyAdminMixin, ReadOnlyInline):
    model = InvoiceLine
    fields = ["kind", "description", "amount_cents", "scholarship", "created_at"]
    readonly_fields = fields


class PaymentInline(MoneyAdminMixin, ReadOnlyInline):
    model = Payment
    fields = [
        "received_at",
        "method",
        "status",
        "amount_cents",
        "refunded_cents",
        "currency",
        "external_id",
        "recorded_by",
        "note",
    ]
    readonly_fields = fields
    show_change_link = True


class CheckoutInline(MoneyAdminMixin, ReadOnlyInline):
    model = CheckoutSession
    fields = ["created_at", "provider", "session_id", "amount_cents", "currency", "status"]
    readonly_fields = fields


@dataclass(frozen=True)
@admin.register(Invoice)
class InvoiceAdmin(MoneyAdminMixin, ServiceFormMixin, ReadOnlyAdmin):
    list_display = [
        "number",
        "ecosystem",
        "kind",
        "membership_year",
        "status",
        "total",
        "paid",
        "balance",
        "due_date",
        "flagged",
    ]
    list_filter = [
        "status",
        "kind",
        "membership_year",
        "flagged",
        "ecosystem__region",
        ("grace_ends_on", admin.DateFieldListFilter),
    ]
    search_fields = ["number", "ecosystem__name", "ecosystem__slug"]
    list_select_related = ["ecosystem", "membership_year"]
    list_per_page = 50
    date_hierarchy = "issued_on"
    readonly_fields = [f.name for f in Invoice._meta.fields]
    inlines = [InvoiceLineInline, PaymentInline, CheckoutInline]
    change_form_template = "admin/members/invoice/change_form.html"

    total = money_column("total_cents", _("Total"))
    paid = money_column("paid_cents", _("Paid"))
    balance = money_column(
        "balance_cents", _("Balance"), ordering=F("total_cents") - F("paid_cents")
    )
    service_views = {"record_payment": "record-payment", "clear_flag": "clear-flag"}

    def record_payment_view(self, request, pk: int):
        self.require(request, "members.add_payment")
        invoice = get_object_or_404(Invoice.objects.select_related("ecosystem"), pk=pk)

        def record(data):
            return payments.payment_record(
                acting_user=request.user,
                invoice=invoice,
                method=data["method"],
                amount_cents=data["amount"],
                currency=invoice.currency,
                external_id=data["reference"],
                received_at=timezone.make_aware(datetime.combine(data["received_on"], time(12))),
                note=data["note"],
            )

        def warn(result):
            if not result.created:
                self.message_user(
                    request,
                    _("That reference was already recorded; nothing was added."),
                    messages.WARNING,
                )
            elif not result.applied:
                self.message_user(
                    request,
                    _("The payment is held for review: %s") % result.payment.note,
                    messages.WARNING,
                )

        return self.service_page(
            request,
            invoice,
            ServicePage(
                title=_("Record a payment on %s") % invoice.number,
                form=RecordPaymentForm,
                call=record,
                success=_("Payment recorded on %s.") % invoice.number,
                intro=_("Partial payments are welcome."),
                facts=[
                    (_("Ecosystem"), str(invoice.ecosystem)),
                    (_("Balance"), format_cents(invoice.balance_cents, invoice.currency)),
                ],
                initial={"received_on": timezone.localdate()},
                after=warn,
            ),
        )

    def clear_flag_view(self, request, pk: int):
        self.require(request, "members.change_invoice")
        invoice = get_object_or_404(Invoice.objects.select_related("ecosystem"), pk=pk)
        return self.service_page(
            request,
            invoice,
            ServicePage(
                title=_("Clear the flag on %s") % invoice.number,
                form=ClearFlagForm,
                call=lambda data: invoices.invoice_clear_flag(
                    acting_user=request.user, invoice=invoice, note=data["note"]
                ),
                success=_("The flag on %s was cleared.") % invoice.number,
                facts=[(_("Flagged because"), invoice.flag_reason or "—")],
            ),
        )


class RefundedFilter(admin.SimpleListFilter):
    title = _("refunded")
    parameter_name = "refunded"

    def lookups(self, request, model_admin):
        return [("yes", _("Refunded (in part or in full)")), ("no", _("Not refunded"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(refunded_cents__gt=0)
        if self.value() == "no":
            return queryset.filter(refunded_cents=0)
        return queryset


@admin.register(Payment)
class PaymentAdmin(MoneyAdminMixin, ServiceFormMixin, ReadOnlyAdmin):
    list_display = [
        "received_at",
        "invoice",
        "ecosystem",
        "method",
        "status",
        "amount",
        "refunded",
        "external_id",
    ]
    list_filter = [
        "status",
        "method",
        RefundedFilter,
        "invoice__kind",
        "invoice__membership_year",
        "invoice__ecosystem__region",
    ]
    search_fields = ["external_id", "invoice__number", "invoice__ecosystem__name", "note"]
    list_select_related = ["invoice", "invoice__ecosystem"]
    date_hierarchy = "received_at"
    readonly_fields = [f.name for f in Payment._meta.fields]
    change_form_template = "admin/members/payment/change_form.html"

    @admin.display(description=_("Ecosystem"))
    def ecosystem(self, obj):
        return obj.invoice.ecosystem

    amount = money_column("amount_cents", _("Amount"))

    refunded = money_column("refunded_cents", _("Refunded"), dash_for_zero=True)
    service_views = {"refund": "refund"}

    def refund_view(self, request, pk: int):
        self.require(request, "members.change_payment")
        payment = get_object_or_404(Payment.objects.select_related("invoice"), pk=pk)
        return self.service_page(
            request,
            payment,
            ServicePage(
                title=_("Record a refund of %s") % payment,
                form=RefundTotalForm,
                call=lambda data: payments.payment_set_refunded(
                    acting_user=request.user,
                    payment=payment,
                    refunded_cents=data["refunded_total"],
                    reference=data["reference"],
                ),
                success=_("Refund recorded."),
                intro=_(
                    "Card refunds are made in the Stripe Dashboard and recorded here by the "
                    "webhook. Use this for checks, ACH and wires: enter the total refunded so far."
                ),
                initial={"refunded_total": payment.refunded_cents},
            ),
        )


@admin.register(ScholarshipApplication)
class ScholarshipApplicationAdmin(MoneyAdminMixin, ServiceFormMixin, ReadOnlyAdmin):
    list_display = [
        "submitted_at",
        "ecosystem",
        "invoice",
        "requested",
        "full_waiver",
        "status",
        "approved",
        "reviewer",
    ]
    list_filter = [
        "status",
        "full_waiver",
        "invoice__membership_year",
        "ecosystem__region",
    ]
    search_fields = ["ecosystem__name", "invoice__number", "narrative"]
    list_select_related = ["ecosystem", "invoice", "reviewer"]
    date_hierarchy = "submitted_at"
    readonly_fields = [f.name for f in ScholarshipApplication._meta.fields]
    change_form_template = "admin/members/scholarshipapplication/change_form.html"

    requested = money_column("requested_cents", _("Requested"))
    approved = money_column("approved_cents", _("Approved"), dash_for_zero=True)
    service_views = {"review": "review"}

    def review_view(self, request, pk: int):
        self.require(request, "members.change_scholarshipapplication")
        application = get_object_or_404(
            ScholarshipApplication.objects.select_related("invoice", "ecosystem"), pk=pk
        )
        invoice = application.invoice

        def decide(data):
            decision = data["decision"]
            return scholarships.scholarship_decide(
                acting_user=request.user,
                application=application,
                approve=decision != ScholarshipReviewForm.DECLINE,
                approved_cents=(
                    data["approved_cents"]
                    if decision == ScholarshipReviewForm.APPROVE_PARTIAL
                    else None
                ),
                note=data["note"],
            )

        requested = format_cents(application.requested_cents, invoice.currency)
        return self.service_page(
            request,
            application,
            ServicePage(
                title=_("Review the scholarship application of %s") % application.ecosystem,
                form=ScholarshipReviewForm,
                call=decide,
                success=_("Decision recorded; the ecosystem's leads were emailed."),
                facts=[
                    (_("Invoice"), invoice.number),
                    (
                        _("Requested"),
                        f"{requested} ({_('full waiver')})"
                        if application.full_waiver
                        else requested,
                    ),
                    (_("Balance now"), format_cents(invoice.balance_cents, invoice.currency)),
                    (_("Why"), application.narrative),
                    (_("Budget context"), application.budget_context or "—"),
                ],
            ),
        )


@admin.register(CheckoutSession)
class CheckoutSessionAdmin(MoneyAdminMixin, ReadOnlyAdmin):
    list_display = ["created_at", "invoice", "provider", "amount", "currency", "status"]
    list_filter = ["status", "provider"]
    search_fields = ["session_id", "payment_intent", "invoice__number"]
    list_select_related = ["invoice"]
    readonly_fields = [f.name for f in CheckoutSession._meta.fields]
    amount = money_column("amount_cents", _("Amount"))


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    """Every verified webhook event, as received. Read-only: it is the record."""

    list_display = ["received_at", "event_id", "type", "outcome", "processed_at", "livemode"]
    list_filter = ["type", "livemode", ("processed_at", admin.EmptyFieldListFilter)]
    search_fields = ["event_id", "object_id", "payment_intent", "outcome"]
    date_hierarchy = "received_at"
    readonly_fields = [f.name for f in StripeEvent._meta.fields]
