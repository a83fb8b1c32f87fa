"""Seating people in offices: one holder per office, interim terms, audit, email."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection

from governance.errors import InvalidTerm, TermOverlap
from governance.models import Term
from governance.services import (
    interim_team_seat,
    term_create,
    term_delete,
    term_end,
    term_update,
)
from members.models import AuditEntry
from tests.factories import UserFactory, make_lead

from .factories import make_term, office

pytestmark = pytest.mark.django_db

D = dt.date


def test_term_create_records_audits_and_tells_the_person(
    ecosystem, staff_user, mailoutbox, django_capture_on_commit_callbacks, travel
):
    travel(D(2026, 3, 1))
    person = make_lead(ecosystem, first_name="Amara", last_name="Osei")
    with django_capture_on_commit_callbacks(execute=True):
        term = term_create(
            acting_user=staff_user,
            office=office("vice-chair-events"),
            person=person,
            start=D(2025, 1, 1),
            end=D(2026, 12, 31),
            how_filled="elected",
        )
    assert term.created_by == staff_user
    entry = AuditEntry.objects.get(action="governance.term_created")
    assert entry.actor == staff_user
    assert entry.after["person"] == person.email and entry.after["end"] == "2026-12-31"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [person.email]
    assert "Vice Chair of Events" in message.subject
    assert ecosystem.name in message.body and "/leadership/" in message.body


def test_a_past_term_sends_no_email(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_term("chair", start=D(2021, 1, 1))
    assert mailoutbox == []


@pytest.mark.parametrize(
    "start, end",
    [
        (D(2022, 6, 1), D(2024, 5, 31)),  # starts inside
        (D(2020, 6, 1), D(2021, 1, 1)),  # ends on its first day
        (D(2021, 3, 1), D(2021, 4, 1)),  # inside
        (D(2022, 12, 31), D(2024, 12, 30)),  # starts on its last day
    ],
)
def test_overlapping_terms_of_one_office_are_refused(start, end):
    holder = make_term("chair", start=D(2021, 1, 1))
    with pytest.raises(TermOverlap) as refused:
        make_term("chair", start=start, end=end)
    assert str(holder.person) in refused.value.message
    assert refused.value.field == "start"
    assert Term.objects.count() == 1
    assert AuditEntry.objects.filter(action="governance.term_created").count() == 1


def test_back_to_back_terms_and_other_offices_are_fine():
    person = UserFactory()
    make_term("chair", person, start=D(2021, 1, 1))
    make_term("chair", person, start=D(2023, 1, 1))  # re-elected: the day after
    make_term("vice-chair-services", start=D(2021, 1, 1))
    assert Term.objects.filter(office__slug="chair").count() == 2


@pytest.mark.parametrize(
    "slug, how, ok",
    [
        ("ties-liaison", "elected", False),  # "appointed, not elected"
        ("ties-liaison", "appointed", True),
        ("chair", "appointed", False),
        ("chair", "interim", True),
        ("regional-chair-west", "selected", True),
        ("regional-chair-west", "elected", True),  # a regional vote
        ("regional-chair-west", "appointed", False),
    ],
)
def test_how_a_term_is_filled_must_fit_the_office(slug, how, ok):
    obj = office(slug)
    end = obj.default_end(D(2025, 1, 1)) or D(2026, 12, 31)
    if ok:
        assert make_term(obj, start=D(2025, 1, 1), end=end, how_filled=how).how_filled == how
    else:
        with pytest.raises(InvalidTerm) as refused:
            make_term(obj, start=D(2025, 1, 1), end=end, how_filled=how)
        assert refused.value.field == "how_filled"
        assert not Term.objects.exists()


@pytest.mark.parametrize(
    "end, how",
    [
        (D(2020, 12, 31), "elected"),  # before it starts
        (D(2023, 1, 1), "elected"),  # longer than two years
        (None, "elected"),  # an elected term has an end
    ],
)
def test_bad_dates_are_refused(end, how):
    with pytest.raises(InvalidTerm) as refused:
        make_term("chair", start=D(2021, 1, 1), end=end, how_filled=how)
    assert refused.value.field == "end"
    assert not Term.objects.exists()


def test_an_interim_term_gives_way_when_the_elected_term_begins(staff_user):
    interim = make_term("chair", start=D(2020, 1, 1), end=None, how_filled="interim")
    elected = make_term("chair", start=D(2021, 1, 1), acting_user=staff_user)
    interim.refresh_from_db()
    assert interim.end == D(2020, 12, 31)
    assert elected.end == D(2022, 12, 31)
    entry = AuditEntry.objects.get(action="governance.term_ended")
    assert entry.before == {"end": None}
    assert entry.after["end"] == "2020-12-31" and "superseded" in entry.after["reason"]
    # but a term starting the same day as the interim one is a real clash
    other = make_term("vice-chair-services", start=D(2020, 1, 1), end=None, how_filled="interim")
    with pytest.raises(TermOverlap):
        make_term("vice-chair-services", start=D(2020, 1, 1))
    other.refresh_from_db()
    assert other.end is None


def test_the_eac_seats_an_interim_team_all_or_nothing(staff_user):
    people = UserFactory.create_batch(3)
    taken = make_term("vice-chair-events", start=D(2020, 1, 1), end=D(2020, 12, 31))
    holders = {
        office("chair"): people[0],
        office("vice-chair-services"): people[1],
        office("vice-chair-events"): people[2],
    }
    with pytest.raises(TermOverlap) as refused:
        interim_team_seat(acting_user=staff_user, start=D(2020, 6, 1), end=None, holders=holders)
    assert "Vice Chair of Events" in refused.value.message
    assert list(Term.objects.all()) == [taken]

    del holders[office("vice-chair-events")]
    terms = interim_team_seat(
        acting_user=staff_user, start=D(2020, 6, 1), end=None, holders=holders, note="EAC"
    )
    assert [(t.office.slug, t.how_filled, t.end) for t in terms] == [
        ("chair", "interim", None),
        ("vice-chair-services", "interim", None),
    ]


def test_term_end_shortens_once_and_refuses_terms_not_begun(staff_user, travel):
    travel(D(2026, 5, 10))
    term = make_term("chair", start=D(2025, 1, 1))
    ended = term_end(acting_user=staff_user, term=term)
    assert ended.end == D(2026, 5, 10)
    assert term_end(acting_user=staff_user, term=term, last_day=D(2026, 6, 1)).end == D(
        2026, 5, 10
    )  # already over by then: unchanged
    assert AuditEntry.objects.filter(action="governance.term_ended").count() == 1
    future = make_term("chair", start=D(2027, 1, 1))
    with pytest.raises(InvalidTerm):
        term_end(acting_user=staff_user, term=future)


def test_term_update_and_delete_are_audited_and_keep_the_rule(staff_user):
    first = make_term("chair", start=D(2021, 1, 1))
    second = make_term("chair", start=D(2023, 1, 1))
    with pytest.raises(TermOverlap):
        term_update(
            acting_user=staff_user,
            term=second,
            person=second.person,
            start=D(2022, 1, 1),
            end=D(2023, 12, 31),
            how_filled="elected",
        )
    replacement = UserFactory()
    term_update(
        acting_user=staff_user,
        term=second,
        person=replacement,
        start=D(2023, 1, 1),
        end=D(2024, 12, 31),
        how_filled="elected",
        note="corrected",
    )
    changed = AuditEntry.objects.get(action="governance.term_changed")
    assert changed.after == {"person": replacement.email, "note": "corrected"}
    term_delete(acting_user=staff_user, term=first)
    assert AuditEntry.objects.get(action="governance.term_deleted").before["start"] == (
        "2021-01-01"
    )
    assert list(Term.objects.values_list("person", flat=True)) == [replacement.pk]


@pytest.mark.postgres
def test_the_database_refuses_overlapping_terms_written_behind_the_services_back():
    person = UserFactory()
    Term.objects.create(
        office=office("chair"), person=person, start=D(2021, 1, 1), end=None, how_filled="interim"
    )
    with pytest.raises(IntegrityError, match="term_one_holder_per_office"):
        Term.objects.create(
            office=office("chair"),
            person=person,
            start=D(2030, 1, 1),
            end=D(2031, 12, 31),
            how_filled="elected",
        )


def test_on_sqlite_the_exclusion_constraint_is_absent_but_the_model_is_the_same():
    names = [c.name for c in Term._meta.constraints]
    assert names == ["term_ends_after_it_starts", "term_one_holder_per_office"]
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Term._meta.db_table)
    assert ("term_one_holder_per_office" in constraints) == (connection.vendor == "postgresql")


class _ServerError(Exception):
    """What the driver raises (psycopg2 names the SQLSTATE `pgcode`)."""

    def __init__(self, pgcode: str):
        super().__init__(pgcode)
        self.pgcode = pgcode


DEADLOCK_WHILE_CHECKING = (
    "deadlock detected\nDETAIL:  Process 1 waits for ShareLock on transaction 2; blocked by "
    "process 3.\nCONTEXT:  while checking exclusion constraint on tuple (0,5) in relation "
    '"governance_term"'
)


@pytest.mark.parametrize(
    "message, pgcode, refused",
    [
        (DEADLOCK_WHILE_CHECKING, "40P01", True),
        ("deadlock detected\nCONTEXT:  while updating tuple (0,1)", "40P01", False),
        ("server closed the connection unexpectedly", None, False),
    ],
)
def test_a_deadlock_while_checking_the_overlap_constraint_is_an_overlap(
    monkeypatch, message, pgcode, refused
):
    """Racers that bypass the office lock and insert overlapping terms at once each wait
    for the other's row while PostgreSQL checks the exclusion constraint, and it aborts
    one of them with a deadlock (seen in CI in the race without the lock): that racer
    gets the overlap message, not a 500. Any other database error still surfaces."""
    from django.db import OperationalError

    def save(self, *args, **kwargs):
        raise OperationalError(message) from _ServerError(pgcode)

    monkeypatch.setattr(Term, "save", save)
    expected = TermOverlap if refused else OperationalError
    with pytest.raises(expected):
        make_term("chair", start=D(2030, 1, 1))
    assert not Term.objects.exists()
