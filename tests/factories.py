"""factory_boy factories of the members app; other apps' factories build on these."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from members.models import Ecosystem, EcosystemRole, PartnerOrganization, Region, User
from members.services import ecosystem_role_set

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            if extracted is not False:
                EmailAddress.objects.get_or_create(
                    user=self, email=self.email, defaults={"verified": True, "primary": True}
                )


def region(slug: str = "northeast") -> Region:
    return Region.objects.get(slug=slug)


class EcosystemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ecosystem

    name = factory.Sequence(lambda n: f"Test STEM Ecosystem {n}")
    slug = factory.Sequence(lambda n: f"test-stem-ecosystem-{n}")
    region = factory.LazyFunction(region)
    city = "Springfield"
    state_province = "MA"
    status = Ecosystem.Status.ACTIVE
    cohort_year = 2020
    founded_year = 2018


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganization

    ecosystem = factory.SubFactory(EcosystemFactory)
    name = factory.Sequence(lambda n: f"Partner {n}")
    sector = PartnerOrganization.Sector.SCHOOLS


def make_person(ecosystem: Ecosystem, role: str, **user_kwargs) -> User:
    """A user holding `role` in `ecosystem`, through the role service (so guardian object
    permissions and audit entries are exactly as in production)."""
    user = UserFactory(**user_kwargs)
    ecosystem_role_set(acting_user=None, ecosystem=ecosystem, user=user, role=role)
    return user


def make_lead(ecosystem: Ecosystem, **user_kwargs) -> User:
    return make_person(ecosystem, EcosystemRole.Role.LEAD, **user_kwargs)


def make_member(ecosystem: Ecosystem, **user_kwargs) -> User:
    return make_person(ecosystem, EcosystemRole.Role.MEMBER, **user_kwargs)
