"""Delivery of recorded notices: at most once per row, resumable after a mail error."""

from __future__ import annotations

import smtplib
from datetime import date

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from renewals.models import SentReminder
from renewals.outbox import deliver
from renewals.services import renewal_run_day
from tests.factories import EcosystemFactory, make_lead

pytestmark = pytest.mark.django_db


class FlakyBackend(EmailBackend):
    """Accepts `budget` messages, then the mail server goes away."""

    budget = 0

    def send_messages(self, messages):
        if FlakyBackend.budget < len(messages):
            raise smtplib.SMTPServerDisconnected("connection lost")
        FlakyBackend.budget -= len(messages)
        return super().send_messages(messages)


def test_an_interrupted_batch_resumes_without_sending_twice(settings, mailoutbox):
    for ecosystem in EcosystemFactory.create_batch(5):
        make_lead(ecosystem)
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    renewal_run_day(on=date(2026, 12, 1))  # records 5 notices (no commit: nothing queued)
    ids = list(SentReminder.objects.values_list("pk", flat=True))
    assert len(ids) == 5

    settings.EMAIL_BACKEND = "tests.renewals.test_outbox.FlakyBackend"
    FlakyBackend.budget = 2
    sent, error = deliver(kind="reminder", ids=ids)
    assert sent == 2 and isinstance(error, smtplib.SMTPServerDisconnected)
    assert SentReminder.objects.filter(emailed_at__isnull=False).count() == 2

    FlakyBackend.budget = 100
    sent, error = deliver(kind="reminder", ids=ids)  # the retry
    assert (sent, error) == (3, None)
    sent, error = deliver(kind="reminder", ids=ids)  # a duplicate task
    assert (sent, error) == (0, None)
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == 5 == len(set(recipients))
