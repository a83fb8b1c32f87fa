"""Issue 22, item 7: every email that honours a preference, table-driven. Switching one
box off stops exactly its emails and no other (election reminders used to obey the
"convening reminders" box, and the "election reminders" box did nothing)."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import Ecosystem
from renewals.models import NotificationPreference
from tests.factories import EcosystemFactory, make_in_good_standing, make_lead

pytestmark = pytest.mark.django_db


def _dues_reminder():
    """The 30-days-before reminder of next year's dues invoice."""
    from renewals.services import renewal_run_day
    from tests.factories import open_dues_invoice

    year = timezone.localdate().year + 1
    invoice = None
    for eco in Ecosystem.objects.all():
        invoice = open_dues_invoice(eco, year)
    renewal_run_day(on=invoice.due_date - timedelta(days=30))


def _election_reminder():
    from elections.models import Contest
    from elections.services import reminders_send
    from tests.elections.factories import election_with_contests

    election = election_with_contests(("chair", Contest.Method.IRV, ["Ada"]), phase="voting")
    reminders_send(election_id=election.pk)


def _news_digest():
    from community.services import announcement_digest_send
    from tests.community.factories import AnnouncementFactory

    today = timezone.localdate()
    last_week = today - dt.timedelta(days=today.weekday() + 5)
    AnnouncementFactory(
        published_at=timezone.make_aware(dt.datetime.combine(last_week, dt.time(10)))
    )
    announcement_digest_send(on=today)


def _convening_reminder():
    from convenings.services import convening_reminders_send
    from tests.convenings.factories import ConveningFactory

    ConveningFactory(
        starts_at=timezone.now() + timedelta(days=7),
        registration_closes_at=timezone.now() + timedelta(days=5),
    )
    convening_reminders_send()


# preference field → the emails it governs (how to make the portal send them)
EMAILS = {
    "dues_reminders": _dues_reminder,
    "event_reminders": _convening_reminder,
    "election_reminders": _election_reminder,
    "news": _news_digest,
}


def test_the_table_covers_every_box_of_the_preferences_page():
    boxes = {
        f.name
        for f in NotificationPreference._meta.get_fields()
        if f.get_internal_type() == "BooleanField"
    }
    assert boxes == set(EMAILS)


@pytest.mark.parametrize("switched_off", sorted(EMAILS))
def test_switching_one_box_off_stops_exactly_its_emails(
    switched_off, django_capture_on_commit_callbacks, mailoutbox
):
    quiet_eco, other_eco = EcosystemFactory(), EcosystemFactory()
    quiet, other = make_lead(quiet_eco), make_lead(other_eco)
    make_in_good_standing(quiet_eco)
    make_in_good_standing(other_eco)
    NotificationPreference.objects.create(user=quiet, **{switched_off: False})

    received: dict[str, set[str]] = {}
    for preference, send in EMAILS.items():
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            send()
        received[preference] = {address for mail in mailoutbox for address in mail.to}

    for preference, addresses in received.items():
        assert other.email in addresses, preference  # the control: everything on
        if preference == switched_off:
            assert quiet.email not in addresses, preference
        else:
            assert quiet.email in addresses, (switched_off, preference)
