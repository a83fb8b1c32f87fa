from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from members.audit import audit_log
from members.billing import admin as billing_admin  # noqa: F401 — registers the dues admin
from members.catalogue import admin as catalogue_admin  # noqa: F401 — the catalogue's
from members.onboarding import admin as onboarding_admin  # noqa: F401 — onboarding's
from members.onboarding.services.checklist import onboarding_start
from slecop.admin_utils import ReadOnlyAdmin, run_each
from slecop.errors import DomainError
from slecop.web import add_error_to_form

from . import services
from .models import (
    AuditEntry,
    Ecosystem,
    EcosystemRole,
    Invitation,
    PartnerOrganization,
    Region,
    User,
)


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
            audit_log(
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


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Append-only: nobody edits or deletes history."""

    list_display = ["created_at", "actor_repr", "action", "object_repr", "ecosystem"]
    list_filter = ["action", "content_type", "created_at"]
    search_fields = ["actor_repr", "action", "object_repr", "ecosystem__name"]
    list_select_related = ["ecosystem"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
