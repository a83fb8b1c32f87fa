from datetime import datetime, time

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from slecop.errors import DomainError
from slecop.web import add_error_to_form, post_data

from . import services
from .forms import ClearFlagForm, RecordPaymentForm, RefundTotalForm, ScholarshipReviewForm
from .models import (
    AuditEntry,
    CheckoutSession,
    Ecosystem,
    EcosystemRole,
    Invitation,
    Invoice,
    InvoiceLine,
    MembershipYear,
    PartnerOrganization,
    Payment,
    Region,
    ScholarshipApplication,
    StripeEvent,
    User,
)
from .money import format_cents


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class PartnerInline(admin.TabularInline):
    model = PartnerOrganization
    extra = 0


class RoleInline(admin.TabularInline):
    """Read-only here: roles change through the role services (permissions + audit)."""

    model = EcosystemRole
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ecosystem)
class EcosystemAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "status", "city", "country", "cohort_year", "founded_year"]
    list_filter = ["region", "status", "cohort_year", "country"]
    search_fields = ["name", "slug", "city", "state_province", "country"]
    list_select_related = ["region"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PartnerInline, RoleInline]
    list_per_page = 50


@admin.register(PartnerOrganization)
class PartnerOrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "ecosystem"]
    list_filter = ["sector", "ecosystem__region"]
    search_fields = ["name", "ecosystem__name"]
    list_select_related = ["ecosystem"]
    autocomplete_fields = ["ecosystem"]


@admin.register(EcosystemRole)
class EcosystemRoleAdmin(admin.ModelAdmin):
    """Saving and deleting go through the role services, which keep guardian object
    permissions in step and write audit entries."""

    list_display = ["user", "ecosystem", "role", "created_at"]
    list_filter = ["role", "ecosystem__region"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "ecosystem__name"]
    list_select_related = ["user", "ecosystem"]
    autocomplete_fields = ["user", "ecosystem"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "ecosystem"] if obj else []

    def save_model(self, request, obj, form, change):
        try:
            saved = services.ecosystem_role_set(
                acting_user=request.user, ecosystem=obj.ecosystem, user=obj.user, role=obj.role
            )
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        try:
            services.ecosystem_role_remove(acting_user=request.user, membership=obj)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("ecosystem", "user"):
            self.delete_model(request, obj)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "ecosystem", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", ("accepted_at", admin.EmptyFieldListFilter), "ecosystem__region"]
    search_fields = ["email", "ecosystem__name"]
    list_select_related = ["ecosystem"]
    readonly_fields = [
        "ecosystem",
        "email",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Withdraw selected invitations"))
    def revoke(self, request, queryset):
        for invitation in queryset:
            services.invitation_revoke(acting_user=request.user, invitation=invitation)
        self.message_user(request, _("Invitations withdrawn."))


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Append-only: nobody edits or deletes history."""

    list_display = ["created_at", "actor_repr", "action", "object_repr", "ecosystem"]
    list_filter = ["action", "content_type", "created_at"]
    search_fields = ["actor_repr", "action", "object_repr", "ecosystem__name"]
    list_select_related = ["ecosystem"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- dues and payments ----------------------------------------------------------------------
# Money never changes by editing rows here: invoices, payments and scholarships are
# read-only, and every change goes through a form that calls a service (locked, audited).


@admin.register(MembershipYear)
class MembershipYearAdmin(admin.ModelAdmin):
    list_display = ["year", "dues_amount", "currency", "invoices_open_on", "due_date", "grace_days"]
    ordering = ["-year"]
    fieldsets = [
        (None, {"fields": ["year", "dues_cents", "currency"]}),
        (_("Calendar"), {"fields": ["invoices_open_on", "due_date", "grace_days"]}),
    ]

    @admin.display(description=_("Dues"))
    def dues_amount(self, obj):
        return format_cents(obj.dues_cents, obj.currency)

    def get_readonly_fields(self, request, obj=None):
        # Issued invoices keep their amounts; changing the year's dues affects new ones.
        if obj is not None and obj.invoices.exists():
            return ["year", "currency"]
        return []

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InvoiceLineInline(ReadOnlyInline):
    model = InvoiceLine
    fields = ["kind", "description", "amount_cents", "scholarship", "created_at"]
    readonly_fields = fields


class PaymentInline(ReadOnlyInline):
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


class CheckoutInline(ReadOnlyInline):
    model = CheckoutSession
    fields = ["created_at", "provider", "session_id", "amount_cents", "currency", "status"]
    readonly_fields = fields


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows created and changed only by services (renewals, the lead's pages, the webhook,
    the service forms below): the admin shows them, never edits them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceFormMixin:
    """Custom admin pages whose form calls one service (no logic in the admin); each
    page checks the model permission it needs."""

    service_form_template = "admin/members/service_form.html"

    def render_service_form(self, request, obj, form, title, *, intro="", facts=(), status=200):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": title,
            "intro": intro,
            "facts": facts,
            "form": form,
            "change_url": reverse(
                f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change",
                args=[obj.pk],
            ),
        }
        return TemplateResponse(request, self.service_form_template, context, status=status)

    def run_service(self, request, obj, form, call, success: str):
        """Call the service; a DomainError becomes a form error (status 400)."""
        try:
            result = call()
        except DomainError as exc:
            add_error_to_form(form, exc)
            return None
        self.message_user(request, success, messages.SUCCESS)
        return result


@admin.register(Invoice)
class InvoiceAdmin(ServiceFormMixin, ReadOnlyAdmin):
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

    @admin.display(description=_("Total"), ordering="total_cents")
    def total(self, obj):
        return format_cents(obj.total_cents)

    @admin.display(description=_("Paid"), ordering="paid_cents")
    def paid(self, obj):
        return format_cents(obj.paid_cents)

    @admin.display(description=_("Balance"))
    def balance(self, obj):
        return format_cents(obj.balance_cents)

    def get_urls(self):
        return [
            path(
                "<int:pk>/record-payment/",
                self.admin_site.admin_view(self.record_payment_view),
                name="members_invoice_record_payment",
            ),
            path(
                "<int:pk>/clear-flag/",
                self.admin_site.admin_view(self.clear_flag_view),
                name="members_invoice_clear_flag",
            ),
            *super().get_urls(),
        ]

    def record_payment_view(self, request, pk: int):
        if not request.user.has_perm("members.add_payment"):
            raise PermissionDenied
        invoice = get_object_or_404(Invoice.objects.select_related("ecosystem"), pk=pk)
        form = RecordPaymentForm(post_data(request), initial={"received_on": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            received = timezone.make_aware(datetime.combine(data["received_on"], time(12)))
            result = self.run_service(
                request,
                invoice,
                form,
                lambda: services.payment_record(
                    acting_user=request.user,
                    invoice=invoice,
                    method=data["method"],
                    amount_cents=data["amount"],
                    currency=invoice.currency,
                    external_id=data["reference"],
                    received_at=received,
                    note=data["note"],
                ),
                _("Payment recorded on %s.") % invoice.number,
            )
            if result is not None:
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
                return redirect("admin:members_invoice_change", invoice.pk)
        return self.render_service_form(
            request,
            invoice,
            form,
            _("Record a payment on %s") % invoice.number,
            intro=_("%(ecosystem)s · balance %(balance)s. Partial payments are welcome.")
            % {
                "ecosystem": invoice.ecosystem,
                "balance": format_cents(invoice.balance_cents, invoice.currency),
            },
            status=400 if request.method == "POST" else 200,
        )

    def clear_flag_view(self, request, pk: int):
        if not request.user.has_perm("members.change_invoice"):
            raise PermissionDenied
        invoice = get_object_or_404(Invoice.objects.select_related("ecosystem"), pk=pk)
        form = ClearFlagForm(post_data(request))
        if request.method == "POST" and form.is_valid():
            done = self.run_service(
                request,
                invoice,
                form,
                lambda: services.invoice_clear_flag(
                    acting_user=request.user, invoice=invoice, note=form.cleaned_data["note"]
                ),
                _("The flag on %s was cleared.") % invoice.number,
            )
            if done is not None:
                return redirect("admin:members_invoice_change", invoice.pk)
        return self.render_service_form(
            request,
            invoice,
            form,
            _("Clear the flag on %s") % invoice.number,
            intro=invoice.flag_reason,
            status=400 if request.method == "POST" else 200,
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
class PaymentAdmin(ServiceFormMixin, ReadOnlyAdmin):
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

    @admin.display(description=_("Amount"), ordering="amount_cents")
    def amount(self, obj):
        return format_cents(obj.amount_cents, obj.currency)

    @admin.display(description=_("Refunded"), ordering="refunded_cents")
    def refunded(self, obj):
        return format_cents(obj.refunded_cents) if obj.refunded_cents else "—"

    def get_urls(self):
        return [
            path(
                "<int:pk>/refund/",
                self.admin_site.admin_view(self.refund_view),
                name="members_payment_refund",
            ),
            *super().get_urls(),
        ]

    def refund_view(self, request, pk: int):
        if not request.user.has_perm("members.change_payment"):
            raise PermissionDenied
        payment = get_object_or_404(Payment.objects.select_related("invoice"), pk=pk)
        form = RefundTotalForm(
            post_data(request), initial={"refunded_total": payment.refunded_cents}
        )
        if request.method == "POST" and form.is_valid():
            done = self.run_service(
                request,
                payment,
                form,
                lambda: services.payment_set_refunded(
                    acting_user=request.user,
                    payment=payment,
                    refunded_cents=form.cleaned_data["refunded_total"],
                    reference=form.cleaned_data["reference"],
                ),
                _("Refund recorded."),
            )
            if done is not None:
                return redirect("admin:members_payment_change", payment.pk)
        return self.render_service_form(
            request,
            payment,
            form,
            _("Record a refund of %s") % payment,
            intro=_(
                "Card refunds are made in the Stripe Dashboard and recorded here by the "
                "webhook. Use this for checks, ACH and wires: enter the total refunded so far."
            ),
            status=400 if request.method == "POST" else 200,
        )


@admin.register(ScholarshipApplication)
class ScholarshipApplicationAdmin(ServiceFormMixin, ReadOnlyAdmin):
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

    @admin.display(description=_("Requested"), ordering="requested_cents")
    def requested(self, obj):
        return format_cents(obj.requested_cents)

    @admin.display(description=_("Approved"), ordering="approved_cents")
    def approved(self, obj):
        return format_cents(obj.approved_cents) if obj.approved_cents else "—"

    def get_urls(self):
        return [
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="members_scholarshipapplication_review",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, pk: int):
        if not request.user.has_perm("members.change_scholarshipapplication"):
            raise PermissionDenied
        application = get_object_or_404(
            ScholarshipApplication.objects.select_related("invoice", "ecosystem"), pk=pk
        )
        form = ScholarshipReviewForm(post_data(request))
        if request.method == "POST" and form.is_valid():
            decision = form.cleaned_data["decision"]
            approve = decision != ScholarshipReviewForm.DECLINE
            amount = (
                form.cleaned_data["approved_cents"]
                if decision == ScholarshipReviewForm.APPROVE_PARTIAL
                else None
            )
            done = self.run_service(
                request,
                application,
                form,
                lambda: services.scholarship_decide(
                    acting_user=request.user,
                    application=application,
                    approve=approve,
                    approved_cents=amount,
                    note=form.cleaned_data["note"],
                ),
                _("Decision recorded; the ecosystem's leads were emailed."),
            )
            if done is not None:
                return redirect("admin:members_scholarshipapplication_change", application.pk)
        invoice = application.invoice
        return self.render_service_form(
            request,
            application,
            form,
            _("Review the scholarship application of %s") % application.ecosystem,
            facts=[
                (_("Invoice"), invoice.number),
                (
                    _("Requested"),
                    format_cents(application.requested_cents, invoice.currency)
                    + (f" ({_('full waiver')})" if application.full_waiver else ""),
                ),
                (_("Balance now"), format_cents(invoice.balance_cents, invoice.currency)),
                (_("Why"), application.narrative),
                (_("Budget context"), application.budget_context or "—"),
            ],
            status=400 if request.method == "POST" else 200,
        )


@admin.register(CheckoutSession)
class CheckoutSessionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "invoice", "provider", "amount_cents", "currency", "status"]
    list_filter = ["status", "provider"]
    search_fields = ["session_id", "payment_intent", "invoice__number"]
    list_select_related = ["invoice"]
    readonly_fields = [f.name for f in CheckoutSession._meta.fields]


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    """Every verified webhook event, as received. Read-only: it is the record."""

    list_display = ["received_at", "event_id", "type", "outcome", "processed_at", "livemode"]
    list_filter = ["type", "livemode", ("processed_at", admin.EmptyFieldListFilter)]
    search_fields = ["event_id", "object_id", "payment_intent", "outcome"]
    date_hierarchy = "received_at"
    readonly_fields = [f.name for f in StripeEvent._meta.fields]
