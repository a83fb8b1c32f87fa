from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from members.permissions import holds_a_role
from slecop.cache import cache_public_page
from slecop.errors import DomainError
from slecop.web import add_error_to_form, post_data

from . import selectors, services
from .forms import LibraryFilterForm, SuggestionForm
from .models import Resource, ResourceVersion
from .storage import resource_storage

logger = logging.getLogger(__name__)


@cache_public_page("resources")
def library(request):
    form = LibraryFilterForm(request.GET or None)
    filters = selectors.LibraryFilters(**form.filters())
    result = selectors.library_search(user=request.user, filters=filters)
    page = Paginator(result.resources, settings.RESOURCES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    show_featured = filters.is_empty and page.number == 1
    return render(
        request,
        "resources/library.html",
        {
            "form": form,
            "filters": filters,
            "page_obj": page,
            "facets": result.facets,
            "full_text": result.uses_full_text,
            "featured": selectors.featured_resources(request.user) if show_featured else [],
            "querystring": query.urlencode(),
        },
    )


def _not_available(request):
    """One answer for a resource that does not exist and one the user may not see."""
    return render(request, "resources/not_available.html", status=404)


def detail(request, slug: str):
    resource = selectors.resource_for_user(request.user, slug)
    if resource is None:
        return _not_available(request)
    return render(
        request,
        "resources/detail.html",
        {
            "resource": resource,
            "topics": resource.topics.all(),
            "versions": selectors.resource_versions(resource),
            "related": selectors.related_resources(request.user, resource),
        },
    )


def _file_response(version: ResourceVersion) -> FileResponse:
    try:
        handle = resource_storage.open(version.file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        logger.error("Library file missing for %s: %s", version, exc)
        raise Http404(_("The file is missing.")) from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=version.filename,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def download(request, slug: str):
    """The current file (or the external link) of a resource the user may see."""
    resource = selectors.resource_for_user(request.user, slug)
    if resource is None:
        return _not_available(request)
    version = resource.current_version
    if version is not None:
        response = _file_response(version)
        services.resource_record_download(resource=resource, version=version)
        return response
    if resource.external_url:
        services.resource_record_download(resource=resource)
        return HttpResponseRedirect(resource.external_url)
    return _not_available(request)


@require_GET
def version_download(request, slug: str, number: int):
    resource = selectors.resource_for_user(request.user, slug)
    version = (
        ResourceVersion.objects.filter(resource=resource, number=number).first()
        if resource is not None
        else None
    )
    if version is None:
        return _not_available(request)
    response = _file_response(version)
    services.resource_record_download(resource=resource, version=version)
    return response


@login_required
def suggest(request):
    allowed = selectors.is_library_staff(request.user) or holds_a_role(request.user)
    if not allowed:
        return render(request, "resources/suggest.html", {"allowed": False}, status=403)
    form = SuggestionForm(post_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_suggest(
                acting_user=request.user,
                fields=form.service_fields(),
                topics=form.cleaned_data["topics"],
                upload=form.cleaned_data.get("file"),
            )
        except (DomainError, ValidationError) as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Thank you: “%s” was sent to TIES staff, who will review it.") % resource.title,
            )
            return redirect("resources:library")
    return render(
        request,
        "resources/suggest.html",
        {"allowed": True, "form": form, "kinds": Resource.Kind},
        status=400 if request.method == "POST" else 200,
    )
