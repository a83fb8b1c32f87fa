"""Refusals of the elections services are translated (issue 25): a Spanish-speaking lead
reads them in Spanish, with the names filled in."""

from __future__ import annotations

import pytest
from django.utils import translation

from elections import services
from elections.models import Contest
from slecop.errors import DomainError, NotAllowed
from tests.elections.factories import contest, election_with_contests
from tests.factories import EcosystemFactory, make_in_good_standing, make_lead, make_member, region

pytestmark = pytest.mark.django_db


def test_a_bad_nomination_link_is_refused_in_spanish():
    with translation.override("es"), pytest.raises(NotAllowed) as refused:
        services.nomination_from_token("not-a-token")
    assert refused.value.message == "Este enlace no es válido o ha caducado."


def test_a_refusal_with_names_is_refused_in_spanish_with_the_names():
    home = EcosystemFactory(name="Harbor STEM", region=region("west"))
    make_in_good_standing(home)
    lead = make_lead(home)
    east = EcosystemFactory(name="East STEM", region=region("northeast"))
    make_in_good_standing(east)
    from_east = make_member(east)
    election = election_with_contests(("regional-chair-west", Contest.Method.PLURALITY, []))
    with translation.override("es"), pytest.raises(DomainError) as refused:
        services.nomination_create(
            acting_user=lead,
            ecosystem=home,
            contest=contest(election, "regional-chair-west"),
            nominee=from_east,
            statement="Escucharé.",
        )
    assert "East STEM está en" in refused.value.message
