"""Renewal steps: catch-up after downtime, preferences, lapse, the command, notify."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from members.models import AuditEntry, Ecosystem, Invoice
from renewals.models import NotificationPreference, SentNotification, SentReminder
from renewals.services import notify_leads, renewal_run_day
from tests.factories import EcosystemFactory, make_in_good_standing, make_lapsed, make_lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks, mailoutbox):
    def run_day(day: date):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            report = renewal_run_day(on=day)
        return report, list(mailoutbox)

    return run_day


def reminder_mails(mails):
    return [m for m in mails if "digest" not in m.subject]


def test_a_week_of_downtime_is_caught_up_once(run, ecosystem, lead):
    run(date(2026, 12, 1))  # 2027 invoices open, notice sent
    # the scheduler is down from Dec 2 until Feb 2: due_30, due_7 and due_0 were missed
    report, mails = run(date(2027, 2, 2))
    assert report.reminders == {"due_0": 1} and report.superseded == 2
    assert [m.to for m in reminder_mails(mails)] == [[lead.email]]
    assert "due today" in reminder_mails(mails)[0].subject or "due" in mails[0].subject
    steps = dict(SentReminder.objects.values_list("step", "sent"))
    assert steps == {"opening": True, "due_30": False, "due_7": False, "due_0": True}
    _, mails = run(date(2027, 2, 3))
    assert reminder_mails(mails) == []
    _, mails = run(date(2027, 2, 7))
    assert len(reminder_mails(mails)) == 1 and "overdue" in mails[0].subject


def test_a_missed_lapse_day_is_done_on_the_next_run(run, ecosystem, lead):
    run(date(2026, 12, 1))
    report, mails = run(date(2027, 4, 20))  # grace ended Apr 1; the scheduler was down
    assert report.lapsed == [ecosystem.name]
    ecosystem.refresh_from_db()
    assert ecosystem.status == Ecosystem.Status.LAPSED
    assert any("lapsed" in m.subject for m in mails)
    report, _ = run(date(2027, 4, 21))
    assert report.lapsed == []
    assert AuditEntry.objects.filter(action="ecosystem.lapsed").count() == 1


def test_reminder_preferences_except_when_overdue(run, client, ecosystem, lead):
    client.force_login(lead)
    url = reverse("renewals:preferences")
    assert client.get(url).status_code == 200
    response = client.post(url, {"event_reminders": "on"})  # dues reminders unticked
    assert response.status_code == 302
    assert not NotificationPreference.objects.get(user=lead).dues_reminders
    _, mails = run(date(2026, 12, 1))
    assert len(reminder_mails(mails)) == 1  # the invoice notice is always sent
    _, mails = run(date(2027, 1, 1))
    assert reminder_mails(mails) == []  # 30-days-before reminder: opted out
    assert SentReminder.objects.get(step="due_30").recipients == []
    _, mails = run(date(2027, 2, 7))
    assert len(reminder_mails(mails)) == 1  # overdue: sent regardless
    assert mails[0].to == [lead.email]


def test_paid_and_waived_invoices_get_no_reminders(run, ecosystem, lead):
    run(date(2026, 12, 1))
    invoice = Invoice.objects.get()
    from tests.factories import pay_invoice

    pay_invoice(invoice)
    for day in (date(2027, 1, 1), date(2027, 1, 31), date(2027, 2, 7), date(2027, 4, 2)):
        report, mails = run(day)
        assert reminder_mails(mails) == [] and report.lapsed == []


def test_every_reminder_names_the_ecosystem_and_links_the_invoice(run, ecosystem, lead):
    _, mails = run(date(2026, 12, 1))
    message = reminder_mails(mails)[0]
    invoice = Invoice.objects.get()
    assert ecosystem.name in message.subject
    assert invoice.get_absolute_url() in message.body
    assert "What to do" in message.body
    html = message.alternatives[0][0]
    assert invoice.get_absolute_url() in html


def test_late_invoices_get_time_to_pay(run, ecosystem, lead):
    from tests.factories import open_dues_invoice

    with time_machine.travel(datetime(2027, 6, 10, 9, tzinfo=ZoneInfo("America/New_York"))):
        invoice = open_dues_invoice(ecosystem, 2027)
    assert invoice.due_date == date(2027, 7, 10)
    assert invoice.grace_ends_on == date(2027, 9, 8)
    report, _ = run(date(2027, 6, 11))
    assert report.lapsed == []


def test_dry_run_prints_the_day_and_changes_nothing(ecosystem, lead, mailoutbox):
    out = StringIO()
    call_command("run_renewals", "--date", "2026-12-01", "--dry-run", stdout=out)
    assert "DRY RUN" in out.getvalue()
    assert "opened 1 dues invoice(s) for 2027" in out.getvalue()
    assert not Invoice.objects.exists() and not SentReminder.objects.exists()
    assert mailoutbox == []
    out = StringIO()
    call_command("run_renewals", "--date", "2026-12-01", stdout=out)
    assert Invoice.objects.count() == 1
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_renewals", "--date", "1 Dec 2026")


def test_paying_after_the_lapse_reinstates(run, ecosystem, lead):
    invoice = make_lapsed(ecosystem)
    from tests.factories import pay_invoice

    pay_invoice(invoice)
    ecosystem.refresh_from_db()
    assert ecosystem.status == Ecosystem.Status.ACTIVE


def test_notify_leads_once_per_key_and_only_good_standing(
    django_capture_on_commit_callbacks, mailoutbox
):
    good, lapsed, opted_out = EcosystemFactory(), EcosystemFactory(), EcosystemFactory()
    good_lead, lapsed_lead = make_lead(good), make_lead(lapsed)
    quiet_lead = make_lead(opted_out)
    make_in_good_standing(good)
    make_in_good_standing(opted_out)
    make_lapsed(lapsed)
    NotificationPreference.objects.create(user=quiet_lead, event_reminders=False)
    kwargs = {
        "key": "convening-7-reminder",
        "template": "tests/email/test_notice",
        "context": {"title": "Fall convening"},
        "preference": "event_reminders",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_leads(**kwargs) == 1
        assert notify_leads(**kwargs) == 0  # once per key
    assert [m.to for m in mailoutbox] == [[good_lead.email]]
    assert good.name in mailoutbox[0].subject and "Fall convening" in mailoutbox[0].body
    assert lapsed_lead.email not in {a for m in mailoutbox for a in m.to}
    assert SentNotification.objects.filter(key="convening-7-reminder").count() == 2
