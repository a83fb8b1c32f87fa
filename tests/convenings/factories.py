"""Factories of the convenings tests."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from convenings.models import Convening, Session
from convenings.services import Attendee, registration_create


class ConveningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convening

    title = factory.Sequence(lambda n: f"SLECoP Convening {n}")
    slug = factory.Sequence(lambda n: f"slecop-convening-{n}")
    kind = Convening.Kind.NATIONAL
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=60))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(days=2))
    venue = "Hynes Convention Center, Boston"
    capacity = 100
    included_seats = 2
    extra_seat_cents = 0
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    registration_closes_at = factory.LazyAttribute(lambda o: o.starts_at - timedelta(days=7))
    published = True


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    convening = factory.SubFactory(ConveningFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    capacity = 50


_n = iter(range(1, 10**9))


def attendee(name: str | None = None, email: str | None = None, **kwargs) -> Attendee:
    n = next(_n)
    return Attendee(
        name=name or f"Attendee {n}",
        email=email or f"attendee{n}@example.org",
        role=kwargs.pop("role", "Program director"),
        **kwargs,
    )


def register(convening, ecosystem, acting_user=None, **kwargs):
    return registration_create(
        acting_user=acting_user,
        convening=convening,
        ecosystem=ecosystem,
        attendee=kwargs.pop("attendee", None) or attendee(),
        **kwargs,
    )
