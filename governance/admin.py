"""Admin of the governance app. Every change that carries a rule goes through a service:
terms (overlap, group access, audit), practice group reviews, closing committees."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import User
from slecop.admin_utils import ReadOnlyAdmin, run_each
from slecop.errors import DomainError
from slecop.web import add_error_to_form, post_data

from . import services
from .models import (
    Committee,
    CommitteeMember,
    Office,
    PracticeGroup,
    PracticeGroupMembership,
    StewardshipAccess,
    Term,
)


# --- offices and terms -----------------------------------------------------------------
@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    """The seed's offices come from a data migration; what they are (kind, how filled,
    region) is fixed here because elections rely on it."""

    list_display = ["name", "kind", "filled_by", "region", "term_years", "order"]
    list_filter = ["kind", "filled_by", "region"]
    search_fields = ["name", "description"]
    readonly_fields = ["slug", "kind", "filled_by", "region"]
    fields = ["name", "slug", "kind", "filled_by", "region", "term_years", "order", "description"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TermStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("current", _("Current")), ("upcoming", _("Upcoming")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        return {
            "current": queryset.current(today),
            "upcoming": queryset.upcoming(today),
            "past": queryset.past(today),
        }.get(self.value(), queryset)


class TermAdminForm(forms.ModelForm):
    acting_user = None  # set per request by TermAdmin.get_form

    class Meta:
        model = Term
        fields = ["office", "person", "start", "end", "how_filled", "note"]

    def clean(self):
        data = super().clean()
        office = data.get("office") or getattr(self.instance, "office", None)
        needed = ("person", "start", "how_filled")
        if office is None or any(data.get(name) is None for name in needed):
            return data
        if self.errors.get("end"):
            return data
        try:
            services.term_check(
                office=office,
                person=data["person"],
                start=data["start"],
                end=data.get("end"),
                how_filled=data["how_filled"],
                exclude_pk=self.instance.pk,
            )
            if services.term_grants_more(
                self.instance, person=data["person"], start=data["start"], end=data.get("end")
            ):
                services.term_check_seating(acting_user=self.acting_user, person=data["person"])
        except DomainError as exc:
            add_error_to_form(self, exc)
        return data


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    """Terms are created, changed and deleted through the term services (office lock,
    overlap rule, Stewardship team access, audit)."""

    form = TermAdminForm
    list_display = ["office", "person", "start", "end", "how_filled"]
    list_filter = [TermStatusFilter, "how_filled", "office__kind", "office"]
    search_fields = ["person__email", "person__first_name", "person__last_name", "office__name"]
    list_select_related = ["office", "person"]
    autocomplete_fields = ["person"]
    date_hierarchy = "start"
    actions = ["end_today"]
    change_list_template = "admin/governance/term/change_list.html"

    def get_readonly_fields(self, request, obj=None):
        return ["office"] if obj else []

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.acting_user = request.user
        return form

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data.get(k) for k in ("person", "start", "end", "how_filled")}
        data["note"] = form.cleaned_data.get("note", "")
        if change:
            services.term_update(acting_user=request.user, term=obj, **data)
        else:
            term = services.term_create(
                acting_user=request.user,
                office=form.cleaned_data["office"],
                by_staff=True,
                **data,
            )
            obj.pk = term.pk

    def delete_model(self, request, obj):
        services.term_delete(acting_user=request.user, term=obj)

    def delete_queryset(self, request, queryset):
        run_each(
            self,
            request,
            queryset.select_related("office", "person"),
            lambda term: services.term_delete(acting_user=request.user, term=term),
            _("Terms deleted"),
        )

    @admin.action(description=_("End selected terms today"), permissions=["change"])
    def end_today(self, request, queryset):
        run_each(
            self,
            request,
            queryset.select_related("office"),
            lambda term: services.term_end(acting_user=request.user, term=term),
            _("Terms ending today"),
        )

    # --- "Seat an interim leadership team" ---------------------------------------------
    def get_urls(self):
        return [
            path(
                "interim-team/",
                self.admin_site.admin_view(self.interim_team_view),
                name="governance_term_interim_team",
            ),
            *super().get_urls(),
        ]

    def interim_team_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        offices = list(Office.objects.order_by("order", "name"))
        form = InterimTeamForm(post_data(request), offices=offices)
        if request.method == "POST" and form.is_valid():
            try:
                terms = services.interim_team_seat(
                    acting_user=request.user,
                    start=form.cleaned_data["start"],
                    end=form.cleaned_data["end"],
                    holders=form.holders(),
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                add_error_to_form(form, exc)
            else:
                self.message_user(
                    request,
                    _("Interim leadership team seated: %d terms.") % len(terms),
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:governance_term_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Seat an interim leadership team"),
            "form": form,
            "office_fields": [form[f"office_{office.pk}"] for office in offices],
        }
        return TemplateResponse(
            request,
            "admin/governance/term/interim_team.html",
            context,
            status=400 if request.method == "POST" else 200,
        )


class InterimTeamForm(forms.Form):
    """One email address per office; empty leaves the office as it is."""

    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to serve until the elected team takes office."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        initial=_("Seated by the EAC"),
    )

    def __init__(self, *args, offices: list[Office], **kwargs):
        super().__init__(*args, **kwargs)
        self.offices = offices
        for office in offices:
            self.fields[f"office_{office.pk}"] = forms.EmailField(
                label=office.name, required=False, help_text=_("Email of the person's account")
            )

    def clean(self):
        data = super().clean()
        emails = {f"office_{o.pk}": data.get(f"office_{o.pk}") for o in self.offices}
        wanted = {email.lower() for email in emails.values() if email}
        if not wanted:
            raise forms.ValidationError(_("Name at least one person to seat."))
        users = {u.email.lower(): u for u in User.objects.filter(email__in=wanted)}
        self._holders = {}
        for office in self.offices:
            email = emails[f"office_{office.pk}"]
            if not email:
                continue
            user = users.get(email.lower())
            if user is None:
                self.add_error(f"office_{office.pk}", _("No account uses this email address."))
                continue
            self._holders[office] = user
            if data.get("start"):
                try:
                    services.term_check(
                        office=office,
                        person=user,
                        start=data["start"],
                        end=data.get("end"),
                        how_filled=Term.HowFilled.INTERIM,
                    )
                except DomainError as exc:
                    self.add_error(f"office_{office.pk}", exc.message)
        return data

    def holders(self) -> dict[Office, User]:
        return self._holders


@admin.register(StewardshipAccess)
class StewardshipAccessAdmin(ReadOnlyAdmin):
    """Read-only: kept by the stewardship sync (services.stewardship)."""

    list_display = ["person", "added_to_group", "made_staff", "granted_at"]
    list_filter = ["added_to_group", "made_staff"]
    search_fields = ["person__email", "person__first_name", "person__last_name"]
    list_select_related = ["person"]
    readonly_fields = ["person", "added_to_group", "made_staff", "granted_at"]


# --- committees ------------------------------------------------------------------------
class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 1
    autocomplete_fields = ["person"]


class CommitteeActiveFilter(admin.SimpleListFilter):
    title = _("active")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("Active")), ("no", _("Closed"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        running = Q(active_from__lte=today) & (Q(active_to__isnull=True) | Q(active_to__gte=today))
        if self.value() == "yes":
            return queryset.filter(running)
        if self.value() == "no":
            return queryset.exclude(running)
        return queryset


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "office", "active_from", "active_to", "member_count"]
    list_filter = [CommitteeActiveFilter, "office"]
    search_fields = ["name", "purpose", "memberships__person__email"]
    list_select_related = ["office"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CommitteeMemberInline]
    actions = ["close_today"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @admin.action(description=_("Close selected committees today"), permissions=["change"])
    def close_today(self, request, queryset):
        run_each(
            self,
            request,
            queryset,
            lambda committee: services.committee_close(
                acting_user=request.user, committee=committee
            ),
            _("Committees closed"),
        )


# --- practice groups -------------------------------------------------------------------
class PracticeGroupMembershipInline(admin.TabularInline):
    model = PracticeGroupMembership
    extra = 0
    autocomplete_fields = ["person"]
    readonly_fields = ["joined_at"]


@admin.register(PracticeGroup)
class PracticeGroupAdmin(admin.ModelAdmin):
    """Proposals arrive as "Awaiting approval"; the Stewardship team approves or
    declines them with the actions (services: status, audit, email to the proposer)."""

    list_display = ["name", "status", "topic", "proposed_by", "ecosystem", "created_at", "size"]
    list_filter = ["status", "ecosystem__region", "created_at"]
    search_fields = ["name", "topic", "proposed_by__email", "ecosystem__name"]
    list_select_related = ["proposed_by", "ecosystem"]
    readonly_fields = [
        "slug",
        "status",
        "proposed_by",
        "ecosystem",
        "created_at",
        "reviewed_at",
        "reviewed_by",
    ]
    fields = [
        "name",
        "slug",
        "topic",
        "description",
        "status",
        "proposed_by",
        "ecosystem",
        "created_at",
        "reviewed_by",
        "reviewed_at",
        "review_note",
    ]
    inlines = [PracticeGroupMembershipInline]
    actions = ["approve", "decline", "close"]

    def has_add_permission(self, request):
        return False  # groups are proposed on the site, by members

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(size=Count("memberships"))

    @admin.display(description=_("members"), ordering="size")
    def size(self, obj):
        return obj.size

    def has_approve_permission(self, request):
        return request.user.has_perm("governance.approve_practicegroup")

    def _review(self, request, queryset, service, done):
        run_each(
            self,
            request,
            queryset,
            lambda group: service(acting_user=request.user, group=group),
            done,
        )

    @admin.action(description=_("Approve selected practice groups"), permissions=["approve"])
    def approve(self, request, queryset):
        self._review(request, queryset, services.practice_group_approve, _("Approved"))

    @admin.action(
        description=_("Decline selected proposals (sends the note to the proposer)"),
        permissions=["approve"],
    )
    def decline(self, request, queryset):
        self._review(request, queryset, services.practice_group_decline, _("Declined"))

    @admin.action(description=_("Close selected practice groups"), permissions=["approve"])
    def close(self, request, queryset):
        self._review(request, queryset, services.practice_group_close, _("Closed"))
