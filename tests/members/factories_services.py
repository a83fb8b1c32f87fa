"""Factories for add-on services, join applications and onboarding (issue 10)."""

from __future__ import annotations

import factory

from members.catalogue import services as addons
from members.models import JoinApplication, Service, ServiceRequest
from tests.factories import EcosystemFactory, region


def catalog(slug: str) -> Service:
    """A service of the seeded catalog (data migration 0008)."""
    return Service.objects.get(slug=slug)


def fixed_fee_service() -> Service:
    return catalog("design-studio")  # 2,500.00 USD


def quote_service() -> Service:
    return catalog("technical-assistance")


def free_service() -> Service:
    return catalog("collective-grants")


def make_request(ecosystem, lead, service: Service | None = None, **kwargs) -> ServiceRequest:
    return addons.service_request_create(
        acting_user=lead,
        ecosystem=ecosystem,
        service=service or fixed_fee_service(),
        need=kwargs.pop("need", "A design studio with our district partners on summer programs."),
        preferred_timing=kwargs.pop("preferred_timing", "Before June"),
    )


class JoinApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinApplication

    ecosystem_name = factory.Sequence(lambda n: f"Prairie STEM Network {n}")
    region = factory.LazyFunction(lambda: region("midwest"))
    city = "Omaha"
    state_province = "NE"
    lead_first_name = "Ada"
    lead_last_name = "Byron"
    lead_email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    lead_organization = "Prairie Science Center"
    partners = "Omaha Public Schools\nPrairie Science Center\nGirls Inc. of Omaha"
    why = "To learn from other ecosystems how to sustain our partnerships."


class OnboardingEcosystemFactory(EcosystemFactory):
    status = "onboarding"
    cohort_year = 2026
    description = ""
    founded_year = None
