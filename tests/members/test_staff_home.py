"""Staff and stewards have a home: what waits for them, with counts and links, and the
figures of the year (issue 28)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import (
    PASSWORD,
    EcosystemFactory,
    make_in_good_standing,
    make_lead,
    open_dues_invoice,
)
from tests.members.staff_home_helpers import one_of_each, staff_and_steward

pytestmark = pytest.mark.django_db

HOME = "/staff/"
KINDS = [
    "scholarships",
    "service_requests",
    "join_applications",
    "flagged_payments",
    "nominations",
    "practice_groups",
]


def _waiting(html: str) -> dict[str, tuple[int, str]]:
    return {
        key: (int(count), url.replace("&amp;", "&"))
        for key, url, count in re.findall(
            r'id="waiting-(\w+)"><a href="([^"]+)"><span class="count">(\d+)</span>', html
        )
    }


def test_staff_home_lists_each_kind_with_its_count_and_a_filtered_link(client):
    one_of_each()
    user = staff_and_steward()
    client.force_login(user)
    waiting = _waiting(client.get(HOME).content.decode())
    assert sorted(waiting) == sorted(KINDS)
    for key, (count, url) in waiting.items():
        assert count == 1, key
        page = client.get(url)  # an unknown filter would redirect to "?e=1"
        assert page.status_code == 200, key
        assert re.search(r'class="paginator">\s*1 ', page.content.decode()), key


def test_each_viewer_sees_only_the_kinds_they_may_act_on(client, staff_user, steward_user):
    one_of_each()
    client.force_login(staff_user)
    staff_kinds = set(_waiting(client.get(HOME).content.decode()))
    client.force_login(steward_user)
    steward_kinds = set(_waiting(client.get(HOME).content.decode()))
    assert "nominations" in steward_kinds and "nominations" not in staff_kinds
    assert "flagged_payments" in staff_kinds and "flagged_payments" not in steward_kinds
    assert "service_requests" not in steward_kinds


def test_the_figures_of_the_year(client):
    good = EcosystemFactory(status="active")
    make_in_good_standing(good)
    open_dues_invoice(EcosystemFactory(status="active"))  # open, within its grace period
    lapsed = EcosystemFactory(status="active")
    invoice = open_dues_invoice(lapsed)
    type(invoice).objects.filter(pk=invoice.pk).update(grace_ends_on="2000-01-01")
    client.force_login(staff_and_steward())
    html = client.get(HOME).content.decode()
    assert re.search(r'id="figure-standing"><span class="stat">2 / 3</span>', html)
    assert re.search(r'id="figure-dues"><span class="stat">\$3,000.00 / \$9,000.00</span>', html), (
        html
    )


def test_constant_queries_whatever_the_amount_of_waiting_work(
    client, django_assert_max_num_queries
):
    user = staff_and_steward()
    client.force_login(user)
    one_of_each(1)
    with django_assert_max_num_queries(12):
        client.get(HOME)
    one_of_each(4)
    with django_assert_max_num_queries(12):
        html = client.get(HOME).content.decode()
    assert all(count == 5 for count, _url in _waiting(html).values())


def test_staff_and_stewards_sign_in_to_their_home_and_leads_to_their_ecosystem(client):
    for email in ("staff.home@example.org",):
        staff_and_steward(email=email)
    lead = make_lead(EcosystemFactory(status="active"))
    response = client.post(
        reverse("account_login"),
        {"login": "staff.home@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302 and response.url == HOME
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": lead.email, "password": PASSWORD},
    )
    assert response.status_code == 302 and response.url == "/my/"


def test_my_ecosystem_sends_staff_without_an_ecosystem_home(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/my/")
    assert response.status_code == 302 and response.url == HOME
    assert 'href="/staff/"' in client.get(HOME).content.decode()  # the nav link


def test_leads_may_not_open_the_staff_home(client, lead):
    client.force_login(lead)
    assert client.get(HOME).status_code == 403
    assert client.get("/my/").status_code == 302  # their own ecosystem
