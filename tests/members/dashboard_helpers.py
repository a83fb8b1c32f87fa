"""The "My ecosystem" page's query budget, shared by the tests that prove it constant."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.dashboard import _panels


def dashboard_queries(client, ecosystem) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ecosystem.get_dashboard_url())
    assert response.status_code == 200
    return len(queries)


def assert_within_dashboard_budget(count: int) -> None:
    """The page itself (session, user, ecosystem, object permissions, partners, people,
    invitations) plus one to three per registered panel (dues, convenings, elections,
    onboarding, services, grants, measurement, announcements…): a budget, not a target."""
    assert count <= 6 + 3 * len(_panels), (count, sorted(_panels))
