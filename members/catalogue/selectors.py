"""Reads for add-on services, join applications and onboarding (issue 10)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from members.models import (
    Ecosystem,
    Service,
    ServiceRequest,
    ServiceRequestEvent,
)

# --- the catalog and requests ----------------------------------------------------------------


def service_catalog() -> dict[str, list[Service]]:
    """Available and planned services, each in catalog order."""
    catalog: dict[str, list[Service]] = {"active": [], "future": []}
    for service in Service.objects.all():
        catalog[service.availability].append(service)
    return catalog


def lead_ecosystems(user) -> list[Ecosystem]:
    """The ecosystems `user` leads (who may request services for them)."""
    if not user.is_authenticated:
        return []
    return list(
        Ecosystem.objects.filter(
            roles__user=user, roles__role="lead", status__in=REQUESTING_STATUSES
        ).order_by("name")
    )


REQUESTING_STATUSES = ("onboarding", "active")


def requestable_services() -> QuerySet[Service]:
    return Service.objects.filter(availability=Service.Availability.ACTIVE)


def ecosystem_service_requests(ecosystem: Ecosystem) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.filter(ecosystem=ecosystem).select_related(
        "ecosystem", "service", "invoice__ecosystem", "assigned_to"
    )


def service_request_with_history(ecosystem: Ecosystem, pk: int) -> ServiceRequest:
    return (
        ecosystem_service_requests(ecosystem)
        .prefetch_related(
            Prefetch("events", queryset=ServiceRequestEvent.objects.select_related("actor"))
        )
        .get(pk=pk)
    )


def catalogue_panel_context(*, ecosystem: Ecosystem, user) -> dict:
    """ "Add-on services" panel: the open requests (two queries)."""
    open_requests = list(
        ecosystem_service_requests(ecosystem).filter(status__in=ServiceRequest.OPEN)[:5]
    )
    return {"ecosystem": ecosystem, "requests": open_requests}
