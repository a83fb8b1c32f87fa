"""Add-on services: the public catalog, and a lead's requests with their history."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.catalogue import selectors, services
from members.catalogue.forms import ServiceRequestForm
from members.models import Ecosystem, ServiceRequest
from members.permissions import ecosystem_view
from slecop.errors import DomainError
from slecop.web import add_error_to_form, post_data


def catalogue_index(request):
    return render(
        request,
        "members/catalogue/catalog.html",
        {
            "catalog": selectors.service_catalog(),
            "my_ecosystems": selectors.lead_ecosystems(request.user),
        },
    )


@ecosystem_view("view")
def catalogue_requests(request, ecosystem: Ecosystem):
    page = Paginator(selectors.ecosystem_service_requests(ecosystem), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "members/catalogue/request_list.html",
        {
            "ecosystem": ecosystem,
            "page_obj": page,
            "can_act": request.ecosystem_access.can_act,
        },
    )


@ecosystem_view("act")
def catalogue_request_new(request, ecosystem: Ecosystem):
    form = ServiceRequestForm(post_data(request), initial={"service": request.GET.get("service")})
    if request.method == "POST" and form.is_valid():
        try:
            created = services.service_request_create(
                acting_user=request.user, ecosystem=ecosystem, **form.cleaned_data
            )
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(
                request, _("Your request was sent. We will email you when staff reply.")
            )
            return redirect(created.get_absolute_url())
    return render(
        request,
        "members/catalogue/request_form.html",
        {"ecosystem": ecosystem, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _request_or_404(ecosystem: Ecosystem, pk: int) -> ServiceRequest:
    try:
        return selectors.service_request_with_history(ecosystem, pk)
    except ServiceRequest.DoesNotExist as exc:
        raise Http404 from exc


@ecosystem_view("view")
def catalogue_request_detail(request, ecosystem: Ecosystem, pk: int):
    return render(
        request,
        "members/catalogue/request_detail.html",
        {
            "ecosystem": ecosystem,
            "service_request": _request_or_404(ecosystem, pk),
            "can_act": request.ecosystem_access.can_act,
        },
    )


@require_POST
@ecosystem_view("act")
def catalogue_request_withdraw(request, ecosystem: Ecosystem, pk: int):
    service_request = _request_or_404(ecosystem, pk)
    try:
        services.service_request_withdraw(acting_user=request.user, request=service_request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect(service_request.get_absolute_url())
