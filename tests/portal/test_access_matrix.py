"""The access matrix, generated from the URL conf with real rows (tests/portal/walk.py).

tests/members/test_permissions.py proves every ecosystem-scoped route refuses another
ecosystem's lead with hand-picked objects; this extends it to every app with objects the
walk finds in the demo data, and adds the staff pages and the admin."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.portal.walk import fill_routes, is_staff_page, row_counts

pytestmark = pytest.mark.django_db

HOSTILE_POST = {"role": "lead", "name": "Hijacked", "email": "a@b.org", "amount": "1"}


def test_every_ecosystem_page_refuses_another_ecosystems_lead(network):
    # URLs filled with the other ecosystem's own rows, as its lead sees them
    theirs = fill_routes(network.client(network.other_lead), network.other)
    scoped = [p for p in theirs.pages if p.route.is_ecosystem_scoped]
    assert {"members:dashboard", "members:invoice_detail", "members:role_change"} <= {
        p.route.name for p in scoped
    }
    intruder = network.client(network.lead)
    before = row_counts()
    for page in scoped:
        assert network.other.slug in page.url
        for method in (intruder.get, intruder.post):
            status = method(page.url, HOSTILE_POST).status_code
            assert status in (403, 404, 405), (page.url, method.__name__, status)
    assert row_counts() == before


def test_every_staff_page_refuses_a_lead_and_anonymous(network):
    staff_pages = [p for p in fill_routes(network.client(network.staff)).pages if is_staff_page(p)]
    assert {"members:dues_dashboard", "members:dues_invoices_csv"} <= {
        p.route.name for p in staff_pages
    }
    # 405: an action that only takes a POST (e.g. the door's one-click check-in)
    assert all(p.status in (200, 405) for p in staff_pages), [
        (p.url, p.status) for p in staff_pages
    ]
    viewers = (network.client(network.lead), network.client())  # signing in writes a session
    before = row_counts()
    for viewer in viewers:
        for page in staff_pages:
            for method in (viewer.get, viewer.post):
                response = method(page.url, HOSTILE_POST)
                assert response.status_code in (302, 403, 405), (page.url, response.status_code)
                if response.status_code == 302:
                    assert "login" in response["Location"], page.url
    assert row_counts() == before


def test_the_admin_refuses_a_lead(network):
    lead = network.client(network.lead)
    urls = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")
        for model in admin.site._registry
        for view in ("changelist", "add")
    ]
    for url in urls:
        response = lead.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_anonymous_is_sent_to_sign_in_from_every_private_page(network):
    pages = fill_routes(network.client(network.lead), network.ecosystem).pages
    private = [p for p in pages if p.route.is_ecosystem_scoped]
    assert private
    anonymous = network.client()
    for page in private:
        response = anonymous.get(page.url)
        assert response.status_code in (302, 405), page.url
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("account_login")), page.url
