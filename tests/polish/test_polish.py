"""Polish seen on screenshots of the portal: each test reads the rendered page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.community.factories import ConsultationFactory

pytestmark = pytest.mark.django_db


def test_a_sentence_ending_with_a_time_has_one_period(client):
    closes = timezone.make_aware(dt.datetime(2030, 1, 6, 11, 59))
    consultation = ConsultationFactory(closes_at=closes)
    page = client.get(consultation.get_absolute_url()).text
    assert "Jan. 6, 2030, 11:59 AM." in page
    assert not re.search(r"[ap]\.m\.\.", page)
