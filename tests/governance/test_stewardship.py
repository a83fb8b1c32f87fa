"""The "Stewardship team" group follows the terms as time moves (time-machine), through
the term services and the daily task; the task is idempotent and catches up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse

from governance.models import StewardshipAccess
from governance.services import stewardship_team_sync, term_end
from governance.tasks import sync_stewardship_team
from members.models import AuditEntry, User
from tests.factories import make_lead

from .factories import make_term

pytestmark = pytest.mark.django_db

D = dt.date


def nightly_run() -> dict:
    """What the worker does when beat fires the task (run here, in-process, even when a
    Redis broker is configured)."""
    return sync_stewardship_team.apply().get()


def _is_steward(user) -> bool:
    user = User.objects.get(pk=user.pk)
    return user.is_staff and user.groups.filter(name="Stewardship team").exists()


def _access_audit():
    return list(
        AuditEntry.objects.filter(action__startswith="governance.stewardship_")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_group_membership_follows_a_term_as_time_moves(client, ecosystem, travel):
    person = make_lead(ecosystem)
    travel(D(2029, 6, 1))
    make_term("vice-chair-events", person, start=D(2030, 1, 1))  # 2030-01-01 … 2031-12-31

    travel(D(2029, 12, 31))
    assert nightly_run() == {"granted": [], "revoked": []}
    assert not _is_steward(person)

    travel(D(2030, 1, 1))
    assert nightly_run()["granted"] == [person.pk]
    assert _is_steward(person)
    client.force_login(person)
    assert client.get(reverse("admin:governance_practicegroup_changelist")).status_code == 200
    nightly_run()  # a second run the same day changes nothing
    assert _access_audit() == ["governance.stewardship_granted"]

    travel(D(2031, 12, 31))
    nightly_run()
    assert _is_steward(person)  # the last day is still in office

    travel(D(2032, 1, 1))
    assert nightly_run()["revoked"] == [person.pk]
    assert not _is_steward(person)
    assert not User.objects.get(pk=person.pk).is_staff
    nightly_run()
    assert _access_audit() == ["governance.stewardship_granted", "governance.stewardship_revoked"]
    entry = AuditEntry.objects.get(action="governance.stewardship_revoked")
    assert entry.before == {"in_stewardship_team": True, "is_staff": True}
    assert entry.after == {"in_stewardship_team": False, "is_staff": False}


def test_a_missed_night_is_caught_up_by_the_next_run(ecosystem, travel):
    person = make_lead(ecosystem)
    travel(D(2029, 6, 1))
    make_term("chair", person, start=D(2030, 1, 1))
    travel(D(2030, 3, 17))  # the scheduler was down on 1 January
    nightly_run()
    assert _is_steward(person)
    travel(D(2033, 2, 1))  # … and again when the term ended
    nightly_run()
    assert not _is_steward(person)


def test_a_current_term_grants_at_once_and_ending_it_in_the_past_revokes_at_once(
    ecosystem, staff_user, travel
):
    travel(D(2026, 5, 1))
    person = make_lead(ecosystem)
    term = make_term("chair", person, start=D(2025, 1, 1))
    assert _is_steward(person)  # no need to wait for the night
    term_end(acting_user=staff_user, term=term, last_day=D(2026, 4, 30))
    assert not _is_steward(person)
    assert AuditEntry.objects.filter(action="governance.stewardship_revoked").get().actor == (
        staff_user
    )


def test_the_sync_never_removes_access_given_by_hand(steward_user, staff_user, travel):
    travel(D(2026, 5, 1))
    stewardship_team_sync()
    assert _is_steward(steward_user)  # put in the group by hand, holds no office
    # a TIES staff member appointed TIES Liaison keeps their staff status afterwards
    term = make_term("ties-liaison", staff_user, start=D(2026, 1, 1), end=None)
    assert _is_steward(staff_user)
    access = StewardshipAccess.objects.get(person=staff_user)
    assert access.added_to_group and not access.made_staff
    term_end(acting_user=None, term=term, last_day=D(2026, 3, 1))
    staff_user = User.objects.get(pk=staff_user.pk)
    assert staff_user.is_staff and staff_user.groups.filter(name="TIES staff").exists()
    assert not staff_user.groups.filter(name="Stewardship team").exists()
    assert _is_steward(steward_user)


def test_someone_removed_by_hand_while_in_office_is_put_back(ecosystem, travel):
    travel(D(2026, 5, 1))
    person = make_lead(ecosystem)
    make_term("chair", person, start=D(2025, 1, 1))
    Group.objects.get(name="Stewardship team").user_set.remove(person)
    nightly_run()
    assert _is_steward(person)


def test_the_daily_sync_is_on_the_beat_schedule():
    schedule = settings.CELERY_BEAT_SCHEDULE.values()
    entries = [e for e in schedule if e["task"] == sync_stewardship_team.name]
    assert len(entries) == 1
    assert entries[0]["schedule"].hour == {0}
