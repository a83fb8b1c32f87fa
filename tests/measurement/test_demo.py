"""Demo reports: three plausible years, valid under every constraint, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from measurement import selectors
from measurement.models import Goal, IndicatorReport, IndicatorValue
from members.models import User

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (IndicatorReport, IndicatorValue, Goal)]


def test_seed_demo_fills_three_years_and_is_idempotent():
    call_command("seed_demo", "--ecosystems", "30", "--quiet")
    first = _counts()
    call_command("seed_demo", "--ecosystems", "30", "--quiet")
    assert _counts() == first

    this_year = timezone.localdate().year
    years = set(IndicatorReport.objects.values_list("year", flat=True))
    assert years == {this_year - 3, this_year - 2, this_year - 1}
    lead = User.objects.get(email="lead@example.org")
    ecosystem = lead.ecosystem_roles.get().ecosystem
    own = IndicatorReport.objects.filter(ecosystem=ecosystem)
    assert own.filter(status="submitted").count() == 3
    assert not own.filter(year=this_year).exists()  # the demo lead can fill this year's

    data = selectors.network_dashboard(selectors.Filters())
    partners = next(a for a in data.aggregates if a.indicator.code == "partner-organizations")
    assert not partners.stat.suppressed and partners.stat.n >= 15
    dashboard = selectors.lead_dashboard(ecosystem)
    assert any(s.goals for s in dashboard.series)
