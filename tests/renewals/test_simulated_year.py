"""A year of the renewals cycle, day by day, for 50 ecosystems (time-machine)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from members.billing.services import scholarship_apply, scholarship_decide
from members.models import AuditEntry, Ecosystem, Invoice
from renewals.models import SentReminder
from renewals.services import renewal_run_day
from tests.factories import EcosystemFactory, make_lead, pay_invoice

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")
YEAR = 2027
# invoices open by catch-up on Jan 1 (issued Jan 1, due Jan 31, grace until Apr 1)
PAID_EARLY, WAIVED, LATE, NEVER = 20, 10, 10, 10
EXPECTED_STEPS = {
    "paid_early": ["opening"],
    "waived": ["opening"],
    # paid Mar 15: every notice until then
    "late": ["opening", "due_7", "due_0"] + [f"overdue_{w}" for w in range(1, 7)],
    "never": ["opening", "due_7", "due_0"] + [f"overdue_{w}" for w in range(1, 9)],
}


def _days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def _snapshot(mailoutbox):
    return (
        len(mailoutbox),
        SentReminder.objects.count(),
        AuditEntry.objects.count(),
        Invoice.objects.count(),
        tuple(Ecosystem.objects.order_by("pk").values_list("status", flat=True)),
    )


def test_a_year_of_renewals(mailoutbox, django_capture_on_commit_callbacks, steward_user):
    groups = {}
    for kind, count in (
        ("paid_early", PAID_EARLY),
        ("waived", WAIVED),
        ("late", LATE),
        ("never", NEVER),
    ):
        for _ in range(count):
            ecosystem = EcosystemFactory()
            make_lead(ecosystem, email=f"lead-{kind}-{ecosystem.pk}@example.org")
            groups[ecosystem.pk] = kind
    actions = {
        date(YEAR, 1, 10): ("paid_early", "pay"),
        date(YEAR, 1, 20): ("waived", "waive"),
        date(YEAR, 3, 15): ("late", "pay"),
    }

    for day in _days(date(YEAR, 1, 1), date(YEAR, 12, 31)):
        with time_machine.travel(datetime(day.year, day.month, day.day, 7, tzinfo=NY), tick=False):
            if day in actions:
                kind, action = actions[day]
                for invoice in Invoice.objects.filter(
                    ecosystem_id__in=[pk for pk, k in groups.items() if k == kind],
                    membership_year__year=YEAR,
                ):
                    if action == "pay":
                        pay_invoice(invoice)
                    else:
                        lead = invoice.ecosystem.roles.get().user
                        application = scholarship_apply(
                            acting_user=lead,
                            invoice=invoice,
                            full_waiver=True,
                            requested_cents=None,
                            narrative="Budget cut",
                        )
                        scholarship_decide(
                            acting_user=steward_user, application=application, approve=True
                        )
            mailoutbox.clear()
            with django_capture_on_commit_callbacks(execute=True):
                renewal_run_day(on=day)
            first = _snapshot(mailoutbox)
            with django_capture_on_commit_callbacks(execute=True):
                renewal_run_day(on=day)  # the same day again changes nothing
            assert _snapshot(mailoutbox) == first, day

    sent = SentReminder.objects.filter(invoice__membership_year__year=YEAR, sent=True)
    per_ecosystem: dict[int, list[str]] = {}
    for ecosystem_id, step in sent.order_by("step_date").values_list(
        "invoice__ecosystem_id", "step"
    ):
        per_ecosystem.setdefault(ecosystem_id, []).append(step)
    for ecosystem_id, kind in groups.items():
        steps = [s for s in per_ecosystem[ecosystem_id] if s != "lapsed"]
        assert steps == EXPECTED_STEPS[kind], (kind, steps)
    # lapsed exactly the never-paid ones, the day after the grace period
    lapsed = set(Ecosystem.objects.filter(status="lapsed").values_list("pk", flat=True))
    assert lapsed == {pk for pk, k in groups.items() if k == "never"}
    lapse_days = set(SentReminder.objects.filter(step="lapsed").values_list("step_date", flat=True))
    assert lapse_days == {date(YEAR, 4, 2)}
    assert AuditEntry.objects.filter(action="ecosystem.lapsed").count() == NEVER
    # next year's invoices opened on Dec 1 for the ecosystems still members, with a notice
    next_year = Invoice.objects.filter(membership_year__year=YEAR + 1)
    assert next_year.count() == PAID_EARLY + WAIVED + LATE
    assert set(next_year.values_list("issued_on", flat=True)) == {date(YEAR, 12, 1)}
    assert SentReminder.objects.filter(invoice__in=next_year, step="opening").count() == 40
    # no duplicates anywhere (the unique constraint would have refused them, too)
    counts = Counter(SentReminder.objects.values_list("invoice_id", "step"))
    assert max(counts.values()) == 1
    # one staff digest per week
    from renewals.models import StaffDigest

    assert StaffDigest.objects.count() == 53  # the weeks starting Dec 28 2026 … Dec 27 2027
