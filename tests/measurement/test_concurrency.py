"""Reports under concurrency (PostgreSQL): the ecosystem row lock makes the first save,
submit and reopen safe; the unique (ecosystem, year) constraint backs it."""

from __future__ import annotations

import time

import pytest
from django.db import IntegrityError
from django.utils import timezone

from measurement.models import Indicator, IndicatorReport
from measurement.services import indicator_report_reopen, indicator_report_save, reports
from members.models import AuditEntry
from slecop.errors import Conflict
from tests.concurrency import Rendezvous, run_concurrently
from tests.factories import EcosystemFactory, make_lead
from tests.measurement.factories import full_input

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 6


def _slow_validation(monkeypatch):
    """Every thread reads the report's status before any of them writes."""
    original = reports._replace_rows

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(reports, "_replace_rows", slow)


def _all_past_the_check(monkeypatch):
    """Without the locks: every lead passes the status check before any of them writes
    (by construction, not by a sleep a loaded machine could outlast)."""
    monkeypatch.setattr(reports, "_replace_rows", Rendezvous(THREADS).before(reports._replace_rows))


def _race(monkeypatch, *, submit: bool, draft_first: bool = False, widen=_slow_validation):
    """THREADS leads of one ecosystem save its report at once (each its own values)."""
    widen(monkeypatch)
    ecosystem = EcosystemFactory()
    leads = [make_lead(ecosystem) for _ in range(THREADS)]
    year = timezone.localdate().year
    if draft_first:
        IndicatorReport.objects.create(ecosystem=ecosystem, year=year)
    return run_concurrently(
        lambda i: indicator_report_save(
            acting_user=leads[i],
            ecosystem=ecosystem,
            year=year,
            data=full_input(1 + i % 4),
            submit=submit,
        ),
        THREADS,
    )


@pytest.mark.parametrize("draft_first", [False, True])
def test_concurrent_submissions_submit_once(monkeypatch, draft_first):
    results = _race(monkeypatch, submit=True, draft_first=draft_first)
    successes = [r for r in results if isinstance(r, IndicatorReport)]
    assert len(successes) == 1, results
    assert all(isinstance(r, Conflict) for r in results if r not in successes), results
    report = IndicatorReport.objects.get()
    assert report.status == "submitted" and report.submitted_by == successes[0].submitted_by
    assert AuditEntry.objects.filter(action="measurement.report_submit").count() == 1
    # the stored values are one lead's complete set, never a mix (each lead's counts are
    # 10 x its level; a count capped by its indicator's range, e.g. 0-7, cannot tell)
    counts = report.values.filter(kind="count", indicator__max_value__isnull=True)
    assert len({v.count_value for v in counts}) == 1


def test_without_the_locks_several_submissions_get_in(monkeypatch):
    """The race is real: with the row locks off, several leads pass the status check
    and only the unique (report, indicator) constraint stops them — as database errors
    (a 500 for the user) instead of the clear "already submitted" message."""
    monkeypatch.setattr(reports, "lock_one", lambda model, pk: model.objects.get(pk=pk))
    results = _race(monkeypatch, submit=True, draft_first=True, widen=_all_past_the_check)
    assert any(isinstance(r, IntegrityError) for r in results), results
    assert IndicatorReport.objects.get().values.count() == Indicator.objects.count()


def test_concurrent_first_drafts_make_one_report(monkeypatch):
    results = _race(monkeypatch, submit=False)
    assert all(isinstance(r, IndicatorReport) for r in results), results
    report = IndicatorReport.objects.get()
    assert report.values.count() == report.values.values("indicator").distinct().count()


def test_reopen_racing_a_resubmission_is_serialised(monkeypatch, staff_user):
    ecosystem = EcosystemFactory()
    lead = make_lead(ecosystem)
    year = timezone.localdate().year
    report = indicator_report_save(
        acting_user=lead, ecosystem=ecosystem, year=year, data=full_input(), submit=True
    )
    results = run_concurrently(
        lambda i: indicator_report_reopen(acting_user=staff_user, report=report, reason=f"r{i}"),
        THREADS,
    )
    assert sum(isinstance(r, IndicatorReport) for r in results) == 1, results
    assert AuditEntry.objects.filter(action="measurement.report_reopen").count() == 1
