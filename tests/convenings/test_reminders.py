"""Convening reminders (what the "convening reminders" box governs): once per convening
and ecosystem, two weeks before, to the leads of ecosystems that may attend."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from convenings import tasks
from convenings.models import Convening
from tests.convenings.factories import ConveningFactory
from tests.factories import EcosystemFactory, make_in_good_standing, make_lead, region

pytestmark = pytest.mark.django_db


def _soon(**kwargs):
    return ConveningFactory(
        starts_at=timezone.now() + timedelta(days=10),
        registration_closes_at=timezone.now() + timedelta(days=8),
        **kwargs,
    )


def test_leads_who_may_attend_are_reminded_once(django_capture_on_commit_callbacks, mailoutbox):
    west, south = EcosystemFactory(region=region("west")), EcosystemFactory(region=region("south"))
    leads = {}
    for eco in (west, south):
        make_in_good_standing(eco)
        leads[eco] = make_lead(eco)
    regional = _soon(kind=Convening.Kind.REGIONAL, region=region("west"), title="West meetup")
    ConveningFactory()  # two months away: not yet
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_upcoming() == 1
        assert tasks.remind_upcoming() == 0  # once
    (mail,) = mailoutbox
    assert mail.to == [leads[west].email]
    assert "West meetup" in mail.subject and west.name in mail.subject
    assert f"/my/{west.slug}/convenings/" in mail.body  # the page to register on
    assert regional.region.slug == "west"  # South's lead is not told of a West convening


def test_the_reminder_runs_every_day():
    entry = settings.CELERY_BEAT_SCHEDULE["convenings-remind-upcoming"]
    assert entry["task"] == "convenings.tasks.remind_upcoming"
