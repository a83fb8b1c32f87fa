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


# --- dues ------------------------------------------------------------------------------------


def membership_year(year: int | None = None, **overrides):
    """The membership year (default: this year), with the configured defaults."""
    from django.utils import timezone

    from members.billing.services.invoices import membership_year_get_or_create
    from members.models import MembershipYear

    year = year or timezone.localdate().year
    my = membership_year_get_or_create(year=year)
    if overrides:
        MembershipYear.objects.filter(pk=my.pk).update(**overrides)
        my.refresh_from_db()
    return my


def open_dues_invoice(ecosystem: Ecosystem, year: int | None = None):
    from members.billing.services.invoices import dues_invoice_open

    invoice, _ = dues_invoice_open(
        acting_user=None, ecosystem=ecosystem, membership_year=membership_year(year)
    )
    return invoice


def pay_invoice(invoice, *, method: str = "check", reference: str | None = None):
    from members.billing.services.payments import payment_record

    invoice.refresh_from_db()
    return payment_record(
        acting_user=None,
        invoice=invoice,
        method=method,
        amount_cents=invoice.balance_cents,
        currency=invoice.currency,
        external_id=reference or f"test-{invoice.number}",
    ).payment


def make_in_good_standing(ecosystem: Ecosystem, year: int | None = None):
    """Ecosystem active with this year's dues paid: good standing under the one rule
    (members.selectors.ecosystem_standing). Returns the paid invoice."""
    if ecosystem.status != Ecosystem.Status.ACTIVE:
        Ecosystem.objects.filter(pk=ecosystem.pk).update(status=Ecosystem.Status.ACTIVE)
        ecosystem.refresh_from_db()
    invoice = open_dues_invoice(ecosystem, year)
    pay_invoice(invoice)
    invoice.refresh_from_db()
    return invoice


def make_lapsed(ecosystem: Ecosystem, year: int | None = None):
    """Ecosystem lapsed: this year's dues invoice open and unpaid, status lapsed (as the
    renewals task leaves it after the grace period). Returns the open invoice."""
    invoice = open_dues_invoice(ecosystem, year)
    Ecosystem.objects.filter(pk=ecosystem.pk).update(status=Ecosystem.Status.LAPSED)
    ecosystem.refresh_from_db()
    return invoice
