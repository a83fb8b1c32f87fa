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


def test_an_amount_in_running_text_names_its_currency(lead_client, ecosystem, lead):
    from members.billing.services import scholarship_apply
    from tests.factories import open_dues_invoice

    invoice = open_dues_invoice(ecosystem)
    scholarship_apply(
        acting_user=lead,
        invoice=invoice,
        full_waiver=False,
        requested_cents=100_000,
        narrative="Our district cut funding.",
    )
    page = lead_client.get(invoice.get_absolute_url()).text
    assert "for $1,000.00 is being reviewed" in page


def test_a_message_writes_dates_as_the_pages_do_not_iso():
    from governance.errors import InvalidTerm
    from tests.governance.factories import make_term

    with pytest.raises(InvalidTerm) as refused:
        make_term("chair", start=dt.date(2027, 1, 6), end=dt.date(2030, 1, 1), how_filled="elected")
    message = str(refused.value)
    assert "starting on Jan. 6, 2027 it ends on Jan. 5, 2029 at the latest" in message
    assert not re.search(r"\d{4}-\d\d-\d\d", message)
