from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from slecop.admin_utils import run_each
from slecop.errors import DomainError
from slecop.web import add_error_to_form, post_data

from . import services
from .admin_money import MoneyAdminMixin, format_money
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


class StaffUserChangeForm(forms.ModelForm):
    """What staff who are not superusers edit on an ordinary account. The email field
    only asks for a change (confirmed by the new address); there is no password field."""

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "is_active"]
        help_texts = {
            "email": _(
                "A new address takes effect once it confirms the change from the link we "
                "send it; the current address is told."
            )
        }

    def validate_unique(self):
        """The email is only a request here (checked by the service), never saved."""


class StaffUserCreationForm(forms.ModelForm):
    """A new account made by staff who are not superusers: no password (the person sets
    one from the reset email sent to the address)."""

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name"]

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """People. Superusers change anything (an email change still waits for the new
    address to confirm it). Other staff, on accounts that are neither staff nor superuser
    (members.services.accounts.may_manage_account): names, activation, an email change
    confirmed by the new address, and the password-reset email to the address on file —
    never a password, a group, a permission or staff status; staff and superuser
    accounts, and their own, they only see. Roles change on the ecosystem role admin."""

    guards_privileges = True  # slecop.admin_site: this admin applies the rules itself
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    actions = ["send_password_reset"]
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
    staff_fieldsets = [
        (None, {"fields": ["email", "password_status"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (_("Status"), {"fields": ["is_active"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    staff_add_fieldsets = [(None, {"fields": ["email", "first_name", "last_name"]})]

    @admin.display(description=_("Password"))
    def password_status(self, obj):
        if obj.has_usable_password():
            return _("Set. Send a password-reset email to let the person choose a new one.")
        return _("Not set.")

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or services.may_manage_account(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or services.may_manage_account(request.user, obj)

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.staff_add_fieldsets if obj is None else self.staff_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ["last_login", "date_joined"]
        return ["password_status", "last_login", "date_joined"]

    def get_form(self, request, obj=None, **kwargs):
        if not request.user.is_superuser:
            kwargs["form"] = StaffUserCreationForm if obj is None else StaffUserChangeForm
            return admin.ModelAdmin.get_form(self, request, obj, **kwargs)
        return super().get_form(request, obj, **kwargs)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied  # nobody else sets a password: send the reset email
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            services.audit_log(
                actor=request.user, action="user.created", obj=obj, after={"email": obj.email}
            )
            if not request.user.is_superuser:
                services.user_send_password_reset(
                    acting_user=request.user, user=obj, request=request
                )
            return
        stored = User.objects.get(pk=obj.pk)
        new_email = obj.email
        obj.email = stored.email  # an email change waits for the new address
        if request.user.is_superuser:
            form._privileges_before = services.user_privileges(stored)
            super().save_model(request, obj, form, change)
        else:
            services.user_update(
                acting_user=request.user,
                user=obj,
                first_name=obj.first_name,
                last_name=obj.last_name,
                is_active=obj.is_active,
            )
        if new_email.lower() != stored.email.lower():
            services.user_email_change_request(
                acting_user=request.user, user=obj, new_email=new_email, request=request
            )
            self.message_user(
                request,
                _(
                    "%(email)s was sent a link to confirm the change; until then the account "
                    "keeps %(old)s, which was told."
                )
                % {"email": new_email, "old": stored.email},
                messages.WARNING,
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = getattr(form, "_privileges_before", None)
        if before is not None:
            services.user_privileges_audit(
                acting_user=request.user, user=form.instance, before=before
            )

    @admin.action(
        description=_("Send a password-reset email to the address on file"),
        permissions=["change"],
    )
    def send_password_reset(self, request, queryset):
        run_each(
            self,
            request,
            queryset,
            lambda user: services.user_send_password_reset(
                acting_user=request.user, user=user, request=request
            ),
            _("Password-reset emails sent"),
        )


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
    actions = ["start_onboarding"]

    @admin.action(
        description=_("Start onboarding (this year's cohort; choose the coach afterwards)"),
        permissions=["change"],
    )
    def start_onboarding(self, request, queryset):
        from .services.onboarding import onboarding_start

        for ecosystem in queryset:
            onboarding_start(acting_user=request.user, ecosystem=ecosystem)
        self.message_user(request, _("Onboarding started; assign coaches under Onboardings."))


@admin.register(PartnerOrganization)
class PartnerOrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "ecosystem"]
    list_filter = ["sector", "ecosystem__region"]
    search_fields = ["name", "ecosystem__name"]
    list_select_related = ["ecosystem"]
    autocomplete_fields = ["ecosystem"]


class EcosystemRoleAdminForm(forms.ModelForm):
    """Refuses, as a form error, a role change the role services would refuse the acting
    user (their own account, a staff or superuser account)."""

    acting_user = None  # set per request by EcosystemRoleAdmin.get_form

    class Meta:
        model = EcosystemRole
        fields = ["user", "ecosystem", "role"]

    def clean(self):
        data = super().clean()
        instance = self.instance
        user = data.get("user") or (instance.user if instance.user_id else None)
        ecosystem = data.get("ecosystem") or (instance.ecosystem if instance.ecosystem_id else None)
        role = data.get("role")
        if user is None or ecosystem is None or role is None:
            return data
        before = (
            EcosystemRole.objects.filter(user=user, ecosystem=ecosystem)
            .values_list("role", flat=True)
            .first()
        )
        if before == role:
            return data
        try:
            services.ecosystem_role_check(
                acting_user=self.acting_user,
                ecosystem=ecosystem,
                user=user,
                before=before,
                after=role,
            )
        except DomainError as exc:
            add_error_to_form(self, exc)
        return data


@admin.register(EcosystemRole)
class EcosystemRoleAdmin(admin.ModelAdmin):
    """Saving and deleting go through the role services, which keep guardian object
    permissions in step, apply who may change which role, email the person and the
    ecosystem's leads and write audit entries."""

    form = EcosystemRoleAdminForm

    list_display = ["user", "ecosystem", "role", "created_at"]
    list_filter = ["role", "ecosystem__region"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "ecosystem__name"]
    list_select_related = ["user", "ecosystem"]
    autocomplete_fields = ["user", "ecosystem"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "ecosystem"] if obj else []

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.acting_user = request.user
        return form

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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows created and changed only by services (renewals, the lead's pages, the webhook,
    the service forms of the dues admin): the admin shows them, never edits them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Append-only: nobody edits or deletes history."""

    list_display = ["created_at", "actor_repr", "action", "object_repr", "ecosystem"]
    list_filter = ["action", "content_type", "created_at"]
    search_fields = ["actor_repr", "action", "object_repr", "ecosystem__name"]
    list_select_related = ["ecosystem"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


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
        return format_money(obj.dues_cents, obj.currency)

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


def money_column(field: str, description, *, ordering=None, dash_for_zero=False):
    """An admin list column showing integer cents as money."""

    @admin.display(description=description, ordering=ordering or field)
    def column(self, obj):
        value = getattr(obj, field)
        if dash_for_zero and not value:
            return "—"
        return format_money(value, getattr(obj, "currency", "USD"))

    return column


@dataclass(frozen=True)
class ServicePage:
    """A custom admin page whose form calls one service."""

    title: str
    form: type[forms.Form]
    call: Callable[[dict], object]  # cleaned data → result; raises DomainError
    success: str
    intro: str = ""
    facts: Sequence[tuple[str, str]] = ()
    initial: dict = field(default_factory=dict)
    after: Callable[[object], None] | None = None  # extra messages from the result


class ServiceFormMixin:
    """Custom admin pages whose form calls one service (no logic in the admin); each
    page checks the model permission it needs before it reads anything."""

    service_form_template = "admin/members/service_form.html"
    service_views: dict[str, str] = {}  # name → URL segment; the view is <name>_view

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                f"<int:pk>/{segment}/",
                self.admin_site.admin_view(getattr(self, f"{name}_view")),
                name=f"{opts.app_label}_{opts.model_name}_{name}",
            )
            for name, segment in self.service_views.items()
        ] + super().get_urls()

    def require(self, request, permission: str) -> None:
        if not request.user.has_perm(permission):
            raise PermissionDenied

    def service_page(self, request, obj, page: ServicePage):
        opts = self.model._meta
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        form = page.form(post_data(request), initial=page.initial)
        if request.method == "POST" and form.is_valid():
            try:
                result = page.call(form.cleaned_data)
            except DomainError as exc:
                add_error_to_form(form, exc)
            else:
                self.message_user(request, page.success, messages.SUCCESS)
                if page.after:
                    page.after(result)
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "original": obj,
            "title": page.title,
            "intro": page.intro,
            "facts": page.facts,
            "form": form,
            "change_url": change_url,
        }
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(request, self.service_form_template, context, status=status)


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
            return services.payment_record(
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
                call=lambda data: services.invoice_clear_flag(
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
                call=lambda data: services.payment_set_refunded(
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
            return services.scholarship_decide(
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


from . import admin_services  # noqa: E402, F401 — issue 10's admin (services, joining, onboarding)
