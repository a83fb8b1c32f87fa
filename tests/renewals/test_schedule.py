"""The reminder schedule and the catch-up rule, as pure functions."""

from __future__ import annotations

from datetime import date

from renewals.models import SentReminder
from renewals.services import reminder_schedule, steps_to_do

Step = SentReminder.Step


def schedule():
    # issued Dec 1, due Jan 31, grace 60 days → Apr 1
    return reminder_schedule(
        issued_on=date(2026, 12, 1), due_date=date(2027, 1, 31), grace_ends_on=date(2027, 4, 1)
    )


def test_schedule_steps_and_days():
    steps = dict(schedule())
    assert steps[Step.OPENING] == date(2026, 12, 1)
    assert steps[Step.DUE_30] == date(2027, 1, 1)
    assert steps[Step.DUE_7] == date(2027, 1, 24)
    assert steps[Step.DUE_0] == date(2027, 1, 31)
    assert steps[Step.OVERDUE_1] == date(2027, 2, 7)
    assert steps[Step.OVERDUE_8] == date(2027, 3, 28)  # the last week inside the grace
    assert Step.OVERDUE_9 not in steps


def test_steps_before_issue_do_not_apply():
    steps = [
        s
        for s, _ in reminder_schedule(
            issued_on=date(2027, 1, 20), due_date=date(2027, 2, 19), grace_ends_on=date(2027, 4, 20)
        )
    ]
    assert steps[:3] == [Step.OPENING, Step.DUE_7, Step.DUE_0]  # 30 days before is before issue


def test_nothing_due_nothing_to_do():
    assert steps_to_do(schedule(), {}, date(2026, 11, 30)) == (None, [])


def test_each_step_once_in_order():
    sched = schedule()
    send, superseded = steps_to_do(sched, {}, date(2026, 12, 1))
    assert send == (Step.OPENING, date(2026, 12, 1)) and superseded == []
    done = {Step.OPENING: date(2026, 12, 1)}
    assert steps_to_do(sched, done, date(2026, 12, 15)) == (None, [])
    assert steps_to_do(sched, done, date(2027, 1, 1))[0][0] == Step.DUE_30


def test_missed_days_send_only_the_latest_step():
    done = {Step.OPENING: date(2026, 12, 1)}
    send, superseded = steps_to_do(schedule(), done, date(2027, 2, 2))  # down since Dec 2
    assert send == (Step.DUE_0, date(2027, 1, 31))
    assert [s for s, _ in superseded] == [Step.DUE_30, Step.DUE_7]
