from __future__ import annotations

import pytest

from members.models import EcosystemRole
from members.services import ecosystem_role_remove
from slecop.errors import Conflict
from tests.concurrency import run_concurrently
from tests.factories import EcosystemFactory, make_lead

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_leads_removing_each_other_at_once_leave_one_lead():
    ecosystem = EcosystemFactory()
    leads = [make_lead(ecosystem), make_lead(ecosystem)]
    memberships = [EcosystemRole.objects.get(user=u) for u in leads]

    results = run_concurrently(
        lambda i: ecosystem_role_remove(acting_user=leads[i], membership=memberships[1 - i]),
        2,
    )

    assert sum(isinstance(r, Conflict) for r in results) == 1
    assert sum(r is None for r in results) == 1
    assert EcosystemRole.objects.filter(ecosystem=ecosystem, role="lead").count() == 1
