"""What things cost, said where people look (issue 28): the services page labels the
starting catalog's fees and "free" as examples until staff set them; the Join and home
pages say what membership costs (from the membership year or the dues setting) and that
scholarships exist."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from members.models import Service
from tests.factories import membership_year

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_seeded_fees_and_free_labels_are_shown_as_examples(client):
    seeded = Service.objects.filter(pricing__in=["fixed", "free"])
    assert seeded.exists() and all(s.price_is_example for s in seeded)
    page = _text(client.get(reverse("members:catalogue")).content.decode())
    assert "Example: 2,500.00 USD" in page
    assert "Example: free for members" in page
    assert "not yet set by staff" in page
    assert not re.search(r"(?<!Example: )\b2,500\.00 USD", page)


def test_a_price_set_by_staff_shows_plainly(client):
    Service.objects.filter(slug="design-studio").update(fee_cents=180000, price_is_example=False)
    Service.objects.exclude(slug="design-studio").update(price_is_example=False)
    page = _text(client.get(reverse("members:catalogue")).content.decode())
    assert "1,800.00 USD" in page and "Example" not in page and "not yet set" not in page


def test_join_and_home_pages_say_what_membership_costs_and_that_scholarships_exist(client):
    for url in (reverse("members:join"), reverse("home")):
        html = client.get(url).content.decode()
        assert "Membership costs 3,000.00 USD a year" in _text(html), url
        assert "scholarships" in html.lower(), url
    assert 'href="/join/#scholarships"' in client.get(reverse("home")).content.decode()
    assert 'id="scholarships"' in client.get(reverse("members:join")).content.decode()


@override_settings(DUES_DEFAULT_CENTS=250000)
def test_the_cost_comes_from_the_membership_year_or_the_setting(client):
    assert "Membership costs 2,500.00 USD a year" in _text(
        client.get(reverse("members:join")).content.decode()
    )
    membership_year(dues_cents=320000)
    assert "Membership costs 3,200.00 USD a year" in _text(
        client.get(reverse("members:join")).content.decode()
    )
