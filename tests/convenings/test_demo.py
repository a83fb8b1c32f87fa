"""Demo convenings: plausible, idempotent, consistent with what the services would do."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from convenings.models import Convening, Registration, Session
from members.billing.selectors import ecosystems_in_good_standing
from members.models import EcosystemRole

pytestmark = pytest.mark.django_db


def test_seed_demo_convenings_are_consistent_and_idempotent():
    call_command("seed_demo", "--ecosystems", "40", "--quiet")
    counts = (Convening.objects.count(), Registration.objects.count())
    call_command("seed_demo", "--ecosystems", "40", "--quiet")
    assert (Convening.objects.count(), Registration.objects.count()) == counts
    assert counts[0] == 5 and counts[1] > 100

    good = set(ecosystems_in_good_standing().values_list("pk", flat=True))
    assert set(Registration.objects.values_list("ecosystem_id", flat=True)) <= good
    lead_ecosystem = EcosystemRole.objects.get(user__email="lead@example.org").ecosystem_id
    assert not Registration.objects.filter(ecosystem_id=lead_ecosystem).exists()
    for convening in Convening.objects.all():
        seats = Registration.objects.filter(convening=convening, status="confirmed").count()
        assert seats <= convening.capacity
        positions = list(
            Registration.objects.filter(convening=convening, status="waitlisted")
            .order_by("waitlist_position")
            .values_list("waitlist_position", flat=True)
        )
        assert positions == list(range(1, len(positions) + 1))
        if positions:
            assert seats == convening.capacity
    regional = Convening.objects.get(kind="regional")
    assert (
        not Registration.objects.filter(convening=regional)
        .exclude(ecosystem__region=regional.region)
        .exists()
    )
    for session in Session.objects.annotate(
        n=Count("registrations", filter=Q(registrations__status="confirmed"))
    ):
        assert session.n <= session.capacity
    assert Registration.objects.filter(checked_in_at__isnull=False).exists()
    assert Registration.objects.filter(status="waitlisted").exists()
