"""pretix-style proof that the locks matter (PostgreSQL): race registrations through
the gap between counting seats and inserting. Without the convening/ecosystem locks the
convening is over-registered (five racers all count before any inserts, by construction
rather than by a sleep a loaded machine could outlast); with the locks, even a slowed
count never over-registers — and the seat-number constraint stops an ecosystem from
taking a third included seat even without locks."""

from __future__ import annotations

import time

import pytest
from django.db import IntegrityError

from convenings.models import Registration
from convenings.services import registrations
from tests.concurrency import Rendezvous, run_concurrently
from tests.convenings.factories import ConveningFactory, attendee, register
from tests.factories import EcosystemFactory, make_in_good_standing

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_count(monkeypatch):
    counted = registrations.seats_taken

    def slow(convening):
        n = counted(convening)
        time.sleep(0.3)  # widen the window between the count and the insert
        return n

    monkeypatch.setattr(registrations, "seats_taken", slow)


@pytest.fixture
def five_count_first(monkeypatch):
    """Without the locks: five racers count seats (and the ecosystem's used seat
    numbers) before any of them inserts. One more than the capacity below."""
    monkeypatch.setattr(
        registrations, "seats_taken", Rendezvous(5).after(registrations.seats_taken)
    )


@pytest.fixture
def no_locks(monkeypatch):
    monkeypatch.setattr(registrations, "lock_one", lambda model, pk: model.objects.get(pk=pk))


def _race(n: int = 12, capacity: int = 4):
    convening = ConveningFactory(capacity=capacity)
    ecosystems = EcosystemFactory.create_batch(n)
    for ecosystem in ecosystems:
        make_in_good_standing(ecosystem)
    results = run_concurrently(lambda i: register(convening, ecosystems[i]), n)
    return convening, results


@pytest.mark.usefixtures("five_count_first", "no_locks")
def test_without_locks_the_convening_is_over_registered():
    convening, _ = _race()
    confirmed = Registration.objects.filter(convening=convening, status="confirmed").count()
    assert confirmed > convening.capacity  # the race is real


@pytest.mark.usefixtures("slow_count")
def test_with_locks_the_same_race_never_over_registers():
    convening, results = _race()
    assert not [r for r in results if isinstance(r, BaseException)]
    rows = Registration.objects.filter(convening=convening)
    assert rows.filter(status="confirmed").count() == convening.capacity
    assert rows.filter(status="waitlisted").count() == 12 - convening.capacity


@pytest.mark.usefixtures("five_count_first", "no_locks")
def test_without_locks_the_seat_constraint_still_refuses_a_third_included_seat():
    convening = ConveningFactory()
    ecosystem = EcosystemFactory()
    make_in_good_standing(ecosystem)
    people = [attendee() for _ in range(10)]
    results = run_concurrently(lambda i: register(convening, ecosystem, attendee=people[i]), 10)
    assert any(isinstance(r, IntegrityError) for r in results)
    assert Registration.objects.filter(convening=convening).count() <= 2
