from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def travel():
    """travel(date): freeze the clock at noon, New York time, on that day."""
    travellers = []

    def go(day: dt.date):
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(
            dt.datetime(day.year, day.month, day.day, 12, tzinfo=NEW_YORK), tick=False
        )
        traveller.start()
        travellers.append(traveller)

    yield go
    for traveller in travellers:
        traveller.stop()
