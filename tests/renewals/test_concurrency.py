"""Two workers running the same day at once (PostgreSQL): nothing is done twice."""

from __future__ import annotations

from datetime import date

import pytest

from members.models import Invoice
from renewals.models import SentReminder
from renewals.services import renewal_run_day
from tests.concurrency import run_concurrently
from tests.factories import EcosystemFactory, make_lead

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_runs_of_one_day_open_and_remind_once(mailoutbox):
    for ecosystem in EcosystemFactory.create_batch(30):
        make_lead(ecosystem)
    results = run_concurrently(lambda i: renewal_run_day(on=date(2026, 12, 1)), 6)
    assert not [r for r in results if isinstance(r, BaseException)]
    assert Invoice.objects.count() == 30
    assert SentReminder.objects.filter(step="opening").count() == 30
    assert sum(r.invoices_opened.get(2027, 0) for r in results) == 30
    assert sum(r.reminders["opening"] for r in results) == 30
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"SLE-2027-{n:04d}" for n in range(1, 31)]
