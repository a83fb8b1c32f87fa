"""The data migration seats exactly the Stewardship Team of seed 000."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from governance import selectors
from governance.models import Office
from members.models import Region

pytestmark = pytest.mark.django_db

# Seed 000, "Operating and Governance Framework": the Stewardship Team.
SEED_OFFICES = {
    "Chair": ("elected", "financial oversight, fundraising, partnership development"),
    "Vice Chair for Communications": ("elected", "sharing of best practices and steer advocacy"),
    "Vice Chair of Diversity, Equity and Inclusion": ("elected", "more representative SLECoP"),
    "Vice Chair of Measurement and Data": ("elected", "amplify data efforts and measurement"),
    "Vice Chair of Services": ("elected", "interests are served through resources available"),
    "Vice Chair of Events": ("elected", "host community, event planner, and backbone"),
    "TIES Liaison": ("appointed", "link to thought leaders and funders"),
}
SEED_REGIONS = ["Northeast", "South", "Midwest", "West", "International/Global"]


def test_the_migration_creates_exactly_the_seven_offices_and_five_regional_chairs():
    offices = list(Office.objects.select_related("region"))
    assert len(offices) == 12
    stewardship = {o.name: o for o in offices if not o.is_regional}
    assert set(stewardship) == set(SEED_OFFICES)
    for name, (filled_by, words) in SEED_OFFICES.items():
        office = stewardship[name]
        assert office.filled_by == filled_by, name
        assert words in office.description, name
        assert office.region is None
    assert stewardship["TIES Liaison"].kind == Office.Kind.LIAISON
    assert stewardship["TIES Liaison"].term_years is None  # appointed, serves until replaced
    assert {o.term_years for o in stewardship.values() if o.is_elected} == {2}

    regional = [o for o in offices if o.is_regional]
    assert [o.region.name for o in sorted(regional, key=lambda o: o.region.number)] == (
        SEED_REGIONS
    )
    assert all(o.filled_by == Office.FilledBy.SELECTED and o.term_years == 2 for o in regional)
    assert {o.region_id for o in regional} == set(Region.objects.values_list("pk", flat=True))


def test_elections_can_ask_which_offices_are_elected_and_which_are_regional():
    assert [o.name for o in selectors.elected_offices()] == [
        "Chair",
        "Vice Chair for Communications",
        "Vice Chair of Diversity, Equity and Inclusion",
        "Vice Chair of Measurement and Data",
        "Vice Chair of Services",
        "Vice Chair of Events",
    ]
    west = Region.objects.get(slug="west")
    assert selectors.regional_office(west).region == west
    assert selectors.regional_offices().count() == 5


def test_a_two_year_term_starting_in_2021_ends_on_the_last_day_of_2022():
    chair = Office.objects.get(slug="chair")
    assert chair.default_end(dt.date(2021, 1, 1)) == dt.date(2022, 12, 31)
    # 29 February counts from 1 March in a year without one (issue 28: was 2026-02-27)
    assert chair.default_end(dt.date(2024, 2, 29)) == dt.date(2026, 2, 28)
    assert Office.objects.get(slug="ties-liaison").default_end(dt.date(2021, 1, 1)) is None


def test_staff_groups_get_governance_permissions_but_stewards_cannot_seat_officers():
    ties = set(Group.objects.get(name="TIES staff").permissions.values_list("codename", flat=True))
    stewards = set(
        Group.objects.get(name="Stewardship team").permissions.values_list("codename", flat=True)
    )
    assert {"add_term", "change_term", "delete_term", "approve_practicegroup"} <= ties
    assert {"view_term", "approve_practicegroup", "add_committee"} <= stewards
    assert not {"add_term", "change_term", "delete_term"} & stewards


@pytest.mark.parametrize(
    ("start", "years", "last_day"),
    [
        (dt.date(2021, 1, 1), 2, dt.date(2022, 12, 31)),
        (dt.date(2027, 7, 15), 2, dt.date(2029, 7, 14)),
        (dt.date(2028, 2, 29), 2, dt.date(2030, 2, 28)),  # the day before 2030-03-01
        (dt.date(2028, 2, 29), 1, dt.date(2029, 2, 28)),
        (dt.date(2028, 2, 29), 4, dt.date(2032, 2, 28)),  # 2032 has a 29 February
        (dt.date(2028, 3, 1), 2, dt.date(2030, 2, 28)),
        (dt.date(2027, 3, 1), 1, dt.date(2028, 2, 29)),  # a leap year keeps its last day
    ],
)
def test_a_term_ends_the_day_before_the_same_date_n_years_later(start, years, last_day):
    office = Office(name="Term check", term_years=years)
    assert office.default_end(start) == last_day


def test_the_docstrings_count_five_vice_chairs_as_the_seed_does():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sources = [*root.glob("governance/**/*.py"), *root.glob("elections/**/*.py")]
    assert not [p.name for p in sources if "six Vice Chairs" in p.read_text()]
    assert len([o for o in SEED_OFFICES if o.startswith("Vice Chair")]) == 5
