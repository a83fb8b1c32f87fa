from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from slecop.errors import DomainError

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
