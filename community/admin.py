from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from slecop.admin_utils import run_each

from . import services
from .models import (
    Announcement,
    Choice,
    Comment,
    Consultation,
    ConsultationVersion,
    FAQEntry,
    Partner,
    Question,
    Survey,
    TownHall,
    TownHallRegistration,
)
from .permissions import can_publish_announcements


# --- consultations ---------------------------------------------------------------------------
class ConsultationAddForm(forms.ModelForm):
    body = forms.CharField(
        label=_("First draft (Markdown; “## ” starts a section)"), widget=forms.Textarea
    )

    class Meta:
        model = Consultation
        fields = [
            "title",
            "slug",
            "summary",
            "opens_at",
            "closes_at",
            "comment_visibility",
            "published",
        ]


class VersionInline(admin.TabularInline):
    model = ConsultationVersion
    fields = ["number", "is_final", "published_at", "published_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


# a link typed without a scheme is https:// (Django 6 default; no deprecation warning)
HTTPS_LINKS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    """A consultation is created with its first draft through `consultation_create`; later
    versions and the final version are published from the consultation's page."""

    list_display = ["title", "opens_at", "closes_at", "comment_visibility", "published", "n"]
    list_filter = ["published", "comment_visibility"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "closes_at"
    inlines = [VersionInline]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ConsultationAddForm
        return super().get_form(request, obj, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("comments"))

    @admin.display(description=_("comments"), ordering="n")
    def n(self, obj):
        return obj.n

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = dict(form.cleaned_data)
        consultation = services.consultation_create(acting_user=request.user, **data)
        obj.pk = consultation.pk
        obj.created_at = consultation.created_at
        obj._state.adding = False


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["outcome", "reply"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Outcomes and replies go through `comment_respond` (audited)."""

    form = CommentForm
    list_display = ["consultation", "author", "ecosystem", "region", "section", "outcome"]
    list_filter = ["outcome", "region", "consultation"]
    search_fields = ["body", "reply", "author__email", "ecosystem__name"]
    list_select_related = ["consultation", "author", "ecosystem", "region", "section"]
    readonly_fields = ["consultation", "section", "author", "ecosystem", "body", "created_at"]
    fields = [*readonly_fields, "outcome", "reply"]
    date_hierarchy = "created_at"
    actions = ["mark_accepted", "mark_noted", "mark_declined"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        services.comment_respond(
            acting_user=request.user,
            comment=obj,
            outcome=form.cleaned_data["outcome"],
            reply=form.cleaned_data["reply"],
        )

    def _mark(self, request, queryset, outcome, done):
        run_each(
            self,
            request,
            queryset,
            lambda c: services.comment_respond(
                acting_user=request.user, comment=c, outcome=outcome, reply=c.reply
            ),
            done,
        )

    @admin.action(description=_("Mark selected comments accepted"))
    def mark_accepted(self, request, queryset):
        self._mark(request, queryset, Comment.Outcome.ACCEPTED, _("Accepted"))

    @admin.action(description=_("Mark selected comments noted"))
    def mark_noted(self, request, queryset):
        self._mark(request, queryset, Comment.Outcome.NOTED, _("Noted"))

    @admin.action(description=_("Mark selected comments declined"))
    def mark_declined(self, request, queryset):
        self._mark(request, queryset, Comment.Outcome.DECLINED, _("Declined"))


class FAQForm(forms.ModelForm):
    class Meta:
        model = FAQEntry
        fields = ["consultation", "question", "answer", "order"]


@admin.register(FAQEntry)
class FAQEntryAdmin(admin.ModelAdmin):
    """Saving an answer publishes it through `faq_answer` ("updated on" is set)."""

    form = FAQForm
    list_display = ["question", "consultation", "status", "asked_by", "updated_on"]
    list_filter = ["status", "consultation"]
    search_fields = ["question", "answer", "asked_by__email"]
    list_select_related = ["consultation", "asked_by"]
    actions = ["decline"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.asked_by = request.user
            obj.save()
        elif form.has_changed():
            obj.save(update_fields=["consultation", "question", "order"])
        if obj.answer.strip():
            services.faq_answer(acting_user=request.user, entry=obj, answer=obj.answer)

    @admin.action(description=_("Do not publish the selected questions"))
    def decline(self, request, queryset):
        run_each(
            self,
            request,
            queryset,
            lambda e: services.faq_decline(acting_user=request.user, entry=e),
            _("Declined"),
        )


# --- town halls and surveys ------------------------------------------------------------------
class RegistrationInline(admin.TabularInline):
    model = TownHallRegistration
    fields = ["person", "ecosystem", "created_at"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TownHall)
class TownHallAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ["title", "starts_at", "region", "registered"]
    list_filter = ["region"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_at"
    inlines = [RegistrationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("registrations"))

    @admin.display(description=_("registered"), ordering="n")
    def registered(self, obj):
        return obj.n


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["order", "kind", "text", "required"]
    extra = 1
    show_change_link = True


class ChoiceInline(admin.TabularInline):
    model = Choice
    fields = ["order", "label"]
    extra = 3


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    """Responses are not browsable here (anonymous surveys); see the results page."""

    list_display = ["title", "audience", "anonymous", "opens_at", "closes_at", "published", "n"]
    list_filter = ["published", "audience", "anonymous", "region"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuestionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("responses"))

    @admin.display(description=_("responses"), ordering="n")
    def n(self, obj):
        return obj.n

    def get_readonly_fields(self, request, obj=None):
        # once someone answered, the secrecy setting can no longer change
        if obj is not None and obj.participations.exists():
            return ["anonymous", "audience", "region", "town_hall"]
        return []


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "survey", "kind", "order"]
    list_filter = ["kind", "survey"]
    search_fields = ["text"]
    inlines = [ChoiceInline]


# --- announcements and partners --------------------------------------------------------------
@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    """Drafts are edited here; publishing goes through the services (audited)."""

    list_display = ["title", "visibility", "published_at", "author"]
    list_filter = ["visibility", ("published_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "body"]
    fields = ["title", "body", "visibility"]
    actions = ["publish", "unpublish"]
    date_hierarchy = "created_at"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def has_publish_permission(self, request):
        return can_publish_announcements(request.user)

    @admin.action(description=_("Publish selected announcements"), permissions=["publish"])
    def publish(self, request, queryset):
        run_each(
            self,
            request,
            queryset,
            lambda a: services.announcement_publish(acting_user=request.user, announcement=a),
            _("Published"),
        )

    @admin.action(description=_("Unpublish selected announcements"), permissions=["publish"])
    def unpublish(self, request, queryset):
        run_each(
            self,
            request,
            queryset,
            lambda a: services.announcement_unpublish(acting_user=request.user, announcement=a),
            _("Unpublished"),
        )


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ["name", "kind", "order", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "description"]
