"""Demo governance data: plausible, idempotent, drawn from the demo ecosystems' leads."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from governance import selectors
from governance.models import Committee, PracticeGroup, PracticeGroupMembership, Term
from members.models import EcosystemRole, User

pytestmark = pytest.mark.django_db


def _counts():
    return [
        m.objects.count() for m in (Term, Committee, PracticeGroup, PracticeGroupMembership, User)
    ]


def test_seed_demo_seats_a_team_and_past_terms_and_is_idempotent():
    call_command("seed_demo", "--ecosystems", "20", "--quiet")
    first = _counts()
    call_command("seed_demo", "--ecosystems", "20", "--quiet")
    assert _counts() == first

    team = selectors.leadership()
    assert all(seat.term for seat in team.seats), "every office is held today"
    assert team.liaison[0].holder.email == "staff@example.org"
    leads = set(EcosystemRole.objects.filter(role="lead").values_list("user_id", flat=True))
    officers = {seat.holder.pk for seat in team.team + team.regional}
    assert officers <= leads
    assert User.objects.get(email="lead@example.org").pk not in officers
    for seat in team.regional:  # regional chairs lead an ecosystem of their region
        assert seat.holder.ecosystem_roles.filter(ecosystem__region=seat.office.region).exists()
    assert selectors.past_terms().filter(how_filled="interim").exists()
    assert PracticeGroup.objects.filter(status="pending").count() == 1
    assert PracticeGroup.objects.filter(status="approved").count() == 3
    stewards = User.objects.filter(pk__in=officers, groups__name="Stewardship team")
    assert stewards.count() == len(officers)
