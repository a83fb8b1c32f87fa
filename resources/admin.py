"""TIES staff manage the library here. Saving, publishing, featuring, uploading and
deleting all go through resources.services (validation, versions, audit, emails)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from slecop.errors import DomainError

from . import services
from .forms import ResourceFieldsMixin, UploadFieldMixin, upload_field
from .models import Resource, ResourceVersion, Topic


class ResourceAdminForm(ResourceFieldsMixin, UploadFieldMixin, forms.ModelForm):
    upload = upload_field(
        _("Upload a file"),
        help_text=_(
            "A new upload becomes the current version; earlier versions stay listed. "
            "Accepted: PDF, Word, Excel, PowerPoint, images, CSV, ZIP (checked by content)."
        ),
    )
    version_note = forms.CharField(
        label=_("What changed in this version"), required=False, max_length=300
    )

    class Meta:
        model = Resource
        fields = [*services.RESOURCE_FIELDS, "topics", "is_published", "is_featured"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
        }

    def clean_upload(self):
        return self.validated_upload(self.cleaned_data.get("upload"))

    def clean(self):
        data = super().clean()
        if data.get("is_published") and not self.has_error("upload"):
            problem = services.publish_problem(
                title=data.get("title") or "",
                has_file=bool(data.get("upload")) or self.instance.current_version_id is not None,
                external_url=data.get("external_url") or "",
                body=data.get("body") or "",
            )
            if problem:
                self.add_error("is_published", problem)
        return data


class VersionInline(admin.TabularInline):
    """Versions are added by uploading on the resource form; history is never edited."""

    model = ResourceVersion
    extra = 0
    can_delete = False
    fields = ["number", "download", "file_type", "size", "note", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by", "resource")

    @admin.display(description=_("file"))
    def download(self, version):
        if version.pk is None:
            return "—"
        return format_html('<a href="{}">{}</a>', version.get_download_url(), version.filename)

    @admin.display(description=_("size"))
    def size(self, version):
        return filesizeformat(version.size_bytes)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "resource_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("resources"))

    @admin.display(description=_("resources"), ordering="n")
    def resource_count(self, topic):
        return topic.n


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    form = ResourceAdminForm
    list_display = [
        "title",
        "kind",
        "visibility",
        "is_published",
        "is_featured",
        "attribute",
        "deadline",
        "download_count",
        "updated_at",
    ]
    list_filter = [
        "is_published",
        "is_featured",
        "visibility",
        "kind",
        "attribute",
        "audience",
        "topics",
        ("suggested_by", admin.EmptyFieldListFilter),
    ]
    search_fields = ["title", "summary", "funder", "slug"]
    date_hierarchy = "created_at"
    list_per_page = 50
    autocomplete_fields = ["owner"]
    filter_horizontal = ["topics"]
    readonly_fields = [
        "slug",
        "suggested_by",
        "download_count",
        "published_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "kind", "topics", "attribute"]}),
        (
            _("File or link"),
            {"fields": ["upload", "version_note", "external_url"]},
        ),
        (
            _("Who sees it"),
            {"fields": ["visibility", "audience", "is_published", "is_featured", "owner"]},
        ),
        (
            _("Grant opportunity"),
            {
                "fields": [
                    "deadline",
                    "funder",
                    "amount_min_cents",
                    "amount_max_cents",
                    "currency",
                ],
                "description": _("Only for resources of kind “Grant opportunity”."),
            },
        ),
        (
            _("History"),
            {
                "fields": [
                    "suggested_by",
                    "download_count",
                    "published_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    inlines = [VersionInline]
    actions = ["publish", "unpublish", "feature", "unfeature"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("search_vector", "body")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            form.base_fields["owner"].initial = request.user.pk
        return form

    # --- saving through the services ---------------------------------------------------
    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {name: data[name] for name in services.RESOURCE_FIELDS if name in data}
        common = {
            "acting_user": request.user,
            "fields": fields,
            "topics": data.get("topics"),
            "is_published": data.get("is_published", False),
            "is_featured": data.get("is_featured", False),
            "upload": data.get("upload"),
            "version_note": data.get("version_note", ""),
        }
        if change:
            saved = services.resource_update(resource=obj, **common)
        else:
            saved = services.resource_create(**common)
        for f in Resource._meta.concrete_fields:
            setattr(obj, f.attname, getattr(saved, f.attname))
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # topics were set by the service; versions are read-only here
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.resource_delete(acting_user=request.user, resource=obj)

    def delete_queryset(self, request, queryset):
        for resource in queryset:
            services.resource_delete(acting_user=request.user, resource=resource)

    # --- bulk actions --------------------------------------------------------------------
    def _bulk(self, request, queryset, service, done_message, **kwargs):
        done, errors = 0, []
        for resource in queryset.order_by("pk"):
            try:
                service(acting_user=request.user, resource=resource, **kwargs)
            except DomainError as exc:
                errors.append(exc.message)
            else:
                done += 1
        if done:
            self.message_user(request, ngettext(done_message[0], done_message[1], done) % done)
        for error in errors:
            self.message_user(request, error, messages.ERROR)

    @admin.action(description=_("Publish selected resources"), permissions=["change"])
    def publish(self, request, queryset):
        self._bulk(
            request,
            queryset,
            services.resource_set_published,
            ("%d resource published.", "%d resources published."),
            published=True,
        )

    @admin.action(description=_("Unpublish selected resources"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._bulk(
            request,
            queryset,
            services.resource_set_published,
            ("%d resource unpublished.", "%d resources unpublished."),
            published=False,
        )

    @admin.action(description=_("Feature selected resources"), permissions=["change"])
    def feature(self, request, queryset):
        self._bulk(
            request,
            queryset,
            services.resource_set_featured,
            ("%d resource featured.", "%d resources featured."),
            featured=True,
        )

    @admin.action(description=_("Stop featuring selected resources"), permissions=["change"])
    def unfeature(self, request, queryset):
        self._bulk(
            request,
            queryset,
            services.resource_set_featured,
            ("%d resource no longer featured.", "%d resources no longer featured."),
            featured=False,
        )
