"""Seats under concurrency (PostgreSQL): the convening and ecosystem row locks make the
recount-then-insert atomic; the constraints stand behind them."""

from __future__ import annotations

import pytest

from convenings.models import Registration
from slecop.errors import Conflict
from tests.concurrency import run_concurrently
from tests.convenings.factories import ConveningFactory, attendee, register
from tests.factories import EcosystemFactory, make_in_good_standing

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_fifty_attempts_for_one_ecosystem_confirm_exactly_its_two_included_seats():
    convening = ConveningFactory(capacity=500, included_seats=2, extra_seat_cents=0)
    ecosystem = EcosystemFactory()
    make_in_good_standing(ecosystem)
    attendees = [attendee() for _ in range(50)]
    results = run_concurrently(lambda i: register(convening, ecosystem, attendee=attendees[i]), 50)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(e, Conflict) and e.code == "no_extra_seats" for e in errors), errors
    assert len(errors) == 48
    rows = Registration.objects.filter(convening=convening)
    assert rows.count() == 2
    assert sorted(rows.values_list("status", "seat_no")) == [("confirmed", 1), ("confirmed", 2)]


def test_fifty_ecosystems_for_ten_remaining_seats_ten_confirmed_forty_waitlisted_in_order():
    convening = ConveningFactory(capacity=12)
    early = EcosystemFactory()
    make_in_good_standing(early)
    register(convening, early)
    register(convening, early)  # 10 seats remain
    ecosystems = EcosystemFactory.create_batch(50)
    for ecosystem in ecosystems:
        make_in_good_standing(ecosystem)
    results = run_concurrently(lambda i: register(convening, ecosystems[i]), 50)
    assert not [r for r in results if isinstance(r, BaseException)]
    confirmed = Registration.objects.filter(convening=convening, status="confirmed")
    waitlisted = Registration.objects.filter(convening=convening, status="waitlisted")
    assert confirmed.count() == 12  # 2 earlier + exactly 10: no over-registration
    assert waitlisted.count() == 40
    # In order: positions 1..40 without gaps, handed out in the order the rows were
    # written under the convening lock (ids are allocated inside it).
    by_id = list(waitlisted.order_by("pk").values_list("waitlist_position", flat=True))
    assert by_id == list(range(1, 41))
    # Every waitlisted registration was written after every confirmed one.
    assert max(confirmed.values_list("pk", flat=True)) < min(
        waitlisted.values_list("pk", flat=True)
    )


def test_thirty_attempts_at_extra_seats_hold_exactly_the_cap():
    """Issue 22, item 3: the cap is counted under the convening and ecosystem locks."""
    convening = ConveningFactory(capacity=200, extra_seat_cents=45_000)
    ecosystem = EcosystemFactory()
    make_in_good_standing(ecosystem)
    register(convening, ecosystem)
    register(convening, ecosystem)
    attendees = [attendee() for _ in range(30)]
    results = run_concurrently(
        lambda i: register(convening, ecosystem, attendee=attendees[i], accept_paid_seat=True), 30
    )
    errors = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(e, Conflict) and e.code == "extra_seat_cap" for e in errors), errors
    held = Registration.objects.filter(convening=convening, seat_kind="paid")
    assert sorted(held.values_list("extra_no", flat=True)) == [1, 2, 3]
