"""The demo network agrees with the day it is seeded on (issue 28): no ecosystem shows
past its grace period unless the demo means it to (the lapsed ones), and nothing is
dated in the future."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from members.billing.selectors import ecosystems_in_good_standing
from members.models import Ecosystem, Invoice, Payment

pytestmark = pytest.mark.django_db(transaction=True)

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    "day", [dt.date(2026, 1, 10), dt.date(2026, 5, 20), dt.date(2026, 12, 7)], ids=str
)
def test_demo_data_is_consistent_with_the_day_it_is_seeded_on(day):
    with time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=NEW_YORK), tick=False):
        call_command("seed_demo", "--ecosystems", "60", "--quiet")
        today = timezone.localdate()
        members = Ecosystem.objects.filter(status__in=["active", "onboarding"])
        good = set(ecosystems_in_good_standing().values_list("pk", flat=True))
        past_grace = [e.name for e in members if e.pk not in good]
        assert not past_grace, f"{len(past_grace)} members shown past grace on {day}"
        open_dues = Invoice.objects.filter(
            kind="dues", status="open", membership_year__year=today.year
        )
        assert open_dues.exclude(ecosystem__status="lapsed").exists()  # the demo shows some
        assert not open_dues.exclude(ecosystem__status="lapsed").filter(grace_ends_on__lt=today)
        assert not Payment.objects.filter(received_at__gt=timezone.now()).exists()
        assert not Invoice.objects.filter(issued_on__gt=today).exists()
