"""Yearly report reminders through the renewals notification machinery."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings

from measurement.services import indicator_report_save
from measurement.tasks import remind_indicator_reports
from tests.factories import EcosystemFactory, make_in_good_standing, make_lead
from tests.measurement.factories import full_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def remind(django_capture_on_commit_callbacks, mailoutbox):
    def run(day: date):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            count = remind_indicator_reports(day.isoformat())
        return count, list(mailoutbox)

    return run


def test_reminders_go_once_per_step_to_ecosystems_that_have_not_submitted(remind, time_machine):
    year = date.today().year
    time_machine.move_to(date(year, 9, 15))
    waiting, done = EcosystemFactory(), EcosystemFactory()
    waiting_lead, done_lead = make_lead(waiting), make_lead(done)
    make_in_good_standing(waiting)
    make_in_good_standing(done)
    indicator_report_save(
        acting_user=done_lead, ecosystem=done, year=year, data=full_input(), submit=True
    )

    assert remind(date(year, 9, 30)) == (0, [])  # not yet due
    count, mails = remind(date(year, 10, 3))  # Oct 1 and 2 missed: caught up on the 3rd
    assert count == 1
    assert [m.to for m in mails] == [[waiting_lead.email]]
    assert (
        waiting.name in mails[0].subject
        and f"/my/{waiting.slug}/indicators/{year}/" in mails[0].body
    )
    assert mails[0].alternatives  # HTML part
    assert remind(date(year, 10, 4)) == (0, [])  # never twice

    count, mails = remind(date(year, 12, 2))
    assert count == 1 and "last call" in mails[0].subject
    assert remind(date(year, 12, 3)) == (0, [])


def test_the_beat_schedule_runs_the_task_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["measurement-report-reminders"]
    assert entry["task"] == "measurement.tasks.remind_indicator_reports"
