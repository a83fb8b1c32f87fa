"""Helpers shared by the apps' admin classes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from slecop.errors import DomainError
from slecop.web import add_error_to_form, post_data


def run_each(
    modeladmin,
    request,
    queryset: Iterable,
    action: Callable,
    done: str | Callable[[int], str],
    *,
    refused_level: int = messages.ERROR,
) -> int:
    """An admin action's body: call `action(obj)` (a service) for each selected row.

    A refusal (DomainError) is reported for its row ("<row>: <reason>", at
    `refused_level`) and the others still run, each in the service's own transaction.
    If any succeeded, one success message follows: "<done>: <count>." when `done` is a
    label, or `done(count)` when it is a callable. Returns the number that succeeded.
    """
    succeeded = 0
    for obj in queryset:
        try:
            action(obj)
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.message}", refused_level)
        else:
            succeeded += 1
    if succeeded:
        message = done(succeeded) if callable(done) else f"{done}: {succeeded}."
        modeladmin.message_user(request, message, messages.SUCCESS)
    return succeeded


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows created and changed only by services (renewals, the lead's pages, the webhook,
    the service forms of the dues admin): the admin shows them, never edits them. The
    portal's one read-only admin; every app's history and ledger admins subclass it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

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

    service_form_template = "admin/service_form.html"
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


class ServiceLinksMixin(ServiceFormMixin):
    """Links to the service pages allowed for the object's state, above its change form."""

    change_form_template = "admin/service_links_change_form.html"
    change_permission = ""

    def service_links(self, obj) -> list[tuple[str, str]]:
        return []

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        links = []
        if obj is not None and request.user.has_perm(self.change_permission):
            opts = self.model._meta
            links = [
                (label, reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=[obj.pk]))
                for name, label in self.service_links(obj)
            ]
        extra = {**(extra_context or {}), "service_links": links}
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def run_each(self, request, queryset, call, done: str) -> None:
        """An admin action: call the service for each selected row, report refusals."""
        run_each(
            self,
            request,
            queryset,
            call,
            lambda ok: f"{done} ({ok})",
            refused_level=messages.WARNING,
        )
