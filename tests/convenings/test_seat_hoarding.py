"""Issue 22, item 3: one lead held all 364 remaining seats of a convening (365 open
invoices) and pushed another ecosystem's included seat onto the waitlist. Extra seats are
capped per ecosystem (held and confirmed together), and until a staff-set date they come
only from the seats nobody's included seat needs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from convenings.models import Convening, Registration
from convenings.services import registration_cancel
from slecop.errors import Conflict
from tests.convenings.factories import ConveningFactory, register
from tests.factories import EcosystemFactory, make_in_good_standing, make_lapsed, pay_invoice
from tests.factories import region as region_named

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulator")]


def _member(**kwargs):
    ecosystem = EcosystemFactory(**kwargs)
    make_in_good_standing(ecosystem)
    return ecosystem


def _hold(convening, ecosystem, **kwargs) -> Registration:
    return register(convening, ecosystem, accept_paid_seat=True, **kwargs)


def _refused_extra(convening, ecosystem) -> Conflict:
    with pytest.raises(Conflict) as exc:
        _hold(convening, ecosystem)
    return exc.value


def _use_included(convening, ecosystem):
    for _ in range(convening.included_seats):
        register(convening, ecosystem)


def test_extra_seats_are_capped_per_ecosystem_held_and_confirmed_together():
    convening = ConveningFactory(capacity=50, extra_seat_cents=45_000)
    assert convening.extra_seats_per_ecosystem == 3  # the default staff can change
    buyer = _member()
    _use_included(convening, buyer)
    first = _hold(convening, buyer)
    pay_invoice(first.invoice)  # confirmed by the payment hook
    first.refresh_from_db()
    assert first.status == "confirmed"
    second, third = _hold(convening, buyer), _hold(convening, buyer)
    assert sorted([first.extra_no, second.extra_no, third.extra_no]) == [1, 2, 3]
    with pytest.raises(Conflict) as exc:
        _hold(convening, buyer)
    assert exc.value.code == "extra_seat_cap"
    assert "3 extra seats" in exc.value.message and convening.title in exc.value.message
    # cancelling a held one frees its place (and its number)
    registration_cancel(acting_user=None, registration=second)
    again = _hold(convening, buyer)
    assert again.extra_no == second.extra_no
    assert Registration.objects.filter(ecosystem=buyer, seat_kind="paid").count() == 4
    # staff may allow more for a convening
    Convening.objects.filter(pk=convening.pk).update(extra_seats_per_ecosystem=4)
    _hold(convening, buyer)


def test_extras_are_sold_only_from_seats_no_included_seat_needs_until_the_date():
    soon = timezone.now() + timedelta(days=5)
    convening = ConveningFactory(
        capacity=8, included_seats=2, extra_seat_cents=45_000, included_seats_kept_until=soon
    )
    buyer, waiting, late = _member(), _member(), _member()
    lapsed = EcosystemFactory()
    make_lapsed(lapsed)  # not in good standing: nothing is kept for it
    _use_included(convening, buyer)
    # 6 seats free, 4 kept for the included seats of `waiting` and `late`: 2 extras
    _hold(convening, buyer)
    _hold(convening, buyer)
    refused = _refused_extra(convening, buyer)
    assert refused.code == "extras_not_yet"
    local = timezone.localtime(soon)
    assert str(local.year) in refused.message and convening.title in refused.message
    # the ecosystems that had not registered yet still get their included seats, confirmed
    for ecosystem in (waiting, late):
        for _ in range(2):
            assert register(convening, ecosystem).status == "confirmed"
    # from the date on, extras come from any free seat (none left here: full)
    assert Registration.objects.filter(convening=convening, status="confirmed").count() == 6
    registration_cancel(
        acting_user=None,
        registration=Registration.objects.filter(ecosystem=late).first(),
    )
    with pytest.raises(Conflict) as exc:
        _hold(convening, buyer)  # the freed seat is late's unused included seat again
    assert exc.value.code == "extras_not_yet"
    held = _hold(convening, buyer, now=soon + timedelta(minutes=1))
    assert held.status == "pending_payment"


def test_a_regional_convening_keeps_seats_for_its_region_only():
    west = region_named("west")
    convening = ConveningFactory(
        kind=Convening.Kind.REGIONAL, region=west, capacity=6, extra_seat_cents=45_000
    )
    buyer = _member(region=west)
    _member(region=west)  # 2 kept for it
    _member(region=region_named("south"))  # may not attend: nothing kept
    _use_included(convening, buyer)
    _hold(convening, buyer)
    _hold(convening, buyer)
    refused = _refused_extra(convening, buyer)
    assert refused.code == "extras_not_yet"
    assert "not used their included seats" in refused.message  # no date set: kept until close


def test_the_hoarder_scenario_no_longer_waitlists_another_ecosystems_included_seat():
    convening = ConveningFactory(capacity=20, extra_seat_cents=45_000)
    hoarder, other = _member(), _member()
    _use_included(convening, hoarder)
    refused = 0
    for _ in range(30):
        try:
            _hold(convening, hoarder)
        except Conflict:
            refused += 1
    assert refused == 27  # three extras, then the cap
    assert register(convening, other).status == "confirmed"
    assert register(convening, other).status == "confirmed"


def test_the_lead_reads_when_extras_go_on_sale(lead_client, ecosystem, lead):
    make_in_good_standing(ecosystem)
    _member()
    when = timezone.now() + timedelta(days=3)
    convening = ConveningFactory(
        capacity=4, extra_seat_cents=45_000, included_seats_kept_until=when
    )
    _use_included(convening, ecosystem)
    url = reverse(
        "convenings:register", kwargs={"ecosystem": ecosystem.slug, "slug": convening.slug}
    )
    form = {
        "attendee_name": "Lu Wang",
        "attendee_email": "lu@example.org",
        "accept_paid_seat": "on",
    }
    page = lead_client.post(url, form)
    assert page.status_code == 200
    text = page.content.decode()
    assert "go on sale on" in text and str(timezone.localtime(when).year) in text
    assert not Registration.objects.filter(attendee_email="lu@example.org").exists()


def test_the_database_refuses_two_registrations_on_one_extra_seat():
    convening = ConveningFactory(capacity=50, extra_seat_cents=45_000)
    buyer = _member()
    _use_included(convening, buyer)
    held = _hold(convening, buyer)
    copy = Registration.objects.get(pk=held.pk)
    copy.pk = None
    copy.attendee_email = "other@example.org"
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()  # same extra_no
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=held.pk).update(extra_no=None)  # a held seat unnumbered
    included = Registration.objects.filter(ecosystem=buyer, seat_kind="included").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=included.pk).update(seat_no=None)


def test_staff_set_the_cap_and_the_date_in_the_admin(admin_client):
    convening = ConveningFactory()
    page = admin_client.get(reverse("admin:convenings_convening_change", args=[convening.pk]))
    assert 'name="extra_seats_per_ecosystem"' in page.content.decode()
    assert 'name="included_seats_kept_until_0"' in page.content.decode()
