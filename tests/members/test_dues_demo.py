"""Dues demo data: realistic, consistent with the services' own arithmetic, gapless
invoice numbers, and idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from members.billing.selectors import ecosystem_standing
from members.billing.services.invoices import invoice_recalculate, invoice_snapshot
from members.models import Ecosystem, Invoice, Payment, ScholarshipApplication

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (Invoice, Payment, ScholarshipApplication)
    }


def _numbers_are_gapless():
    """Per year of the number, over every kind (dues, and the demo's service invoices,
    which share the year's sequence)."""
    by_year: dict[str, list[str]] = {}
    for number in Invoice.objects.values_list("number", flat=True):
        by_year.setdefault(number.split("-")[1], []).append(number)
    for year, numbers in by_year.items():
        assert sorted(numbers) == [f"SLE-{year}-{n:04d}" for n in range(1, len(numbers) + 1)]


def test_demo_dues_are_consistent_gapless_and_idempotent():
    out = StringIO()
    call_command("seed_demo", "--ecosystems", "60", stdout=out)
    this_year = timezone.localdate().year
    assert f"for {this_year}" in out.getvalue()
    first = _snapshot()
    statuses = dict(
        Invoice.objects.filter(membership_year__year=this_year)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    assert statuses["paid"] > statuses["open"] > 0 and statuses.get("waived", 0) > 0
    assert ScholarshipApplication.objects.filter(status="submitted").exists()
    assert ScholarshipApplication.objects.filter(status="partially_approved").exists()
    _numbers_are_gapless()
    assert not Invoice.objects.filter(status__in=["paid", "waived"], settled_at=None).exists()
    assert not Invoice.objects.filter(status="open").exclude(settled_at=None).exists()
    # the bulk rows are exactly what the services would compute
    for invoice in Invoice.objects.all():
        before = invoice_snapshot(invoice)
        assert invoice_snapshot(invoice_recalculate(invoice)) == before, invoice.number
    # the demo lead's ecosystem has something to pay; lapsed ecosystems owe this year
    boston = Ecosystem.objects.get(slug="boston-stem-ecosystem")
    assert boston.invoices.get(membership_year__year=this_year).status == "open"
    # … issued today, so the demo lead can still vote and use the included convening seats
    assert ecosystem_standing(boston).good
    for lapsed in Ecosystem.objects.filter(status="lapsed"):
        assert lapsed.invoices.get(membership_year__year=this_year).status == "open"
        assert not ecosystem_standing(lapsed).good
    call_command("seed_demo", "--ecosystems", "60", "--quiet")
    assert _snapshot() == first
    call_command("seed_demo", "--ecosystems", "70", "--quiet")  # growing the network
    assert Invoice.objects.filter(membership_year__year=this_year).count() == 70
    _numbers_are_gapless()
