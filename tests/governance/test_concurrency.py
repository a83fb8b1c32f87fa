"""One holder per office under concurrency (PostgreSQL): the Office row lock makes the
check-then-insert safe, and the exclusion constraint backs the rule when the lock is
bypassed. The race is real: with neither, several overlapping terms get in."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection

from governance.errors import TermOverlap
from governance.models import Office, Term
from governance.services import practice_group_join, term_create, terms
from tests.concurrency import Rendezvous, run_concurrently
from tests.factories import UserFactory

from .factories import PracticeGroupFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 6


def _race(people):
    chair = Office.objects.get(slug="chair")
    return run_concurrently(
        lambda i: term_create(
            acting_user=None,
            office=chair,
            person=people[i],
            start=dt.date(2025, 1, 1) + dt.timedelta(days=i),  # all overlap one another
            end=dt.date(2026, 12, 31),
            how_filled="elected",
        ),
        THREADS,
    )


def _slow_check(monkeypatch):
    """Every thread passes the overlap check before any of them inserts."""
    original = terms.term_check

    def slow(**kwargs):
        result = original(**kwargs)
        time.sleep(0.5)
        return result

    monkeypatch.setattr(terms, "term_check", slow)


def _no_lock(monkeypatch):
    monkeypatch.setattr(terms, "_lock_office", lambda office: Office.objects.get(pk=office.pk))


def test_concurrent_overlapping_terms_for_one_office_leave_exactly_one(monkeypatch):
    _slow_check(monkeypatch)  # widen the window: the lock must still serialise them
    people = UserFactory.create_batch(THREADS)
    results = _race(people)
    assert sum(isinstance(r, Term) for r in results) == 1, results
    assert sum(isinstance(r, TermOverlap) for r in results) == THREADS - 1, results
    assert Term.objects.filter(office__slug="chair").count() == 1


def _all_check_before_any_insert(monkeypatch):
    """Without the lock: every racer passes the overlap check before any of them inserts."""
    monkeypatch.setattr(terms, "term_check", Rendezvous(THREADS).after(terms.term_check))


def test_without_the_lock_the_exclusion_constraint_still_refuses(monkeypatch):
    _no_lock(monkeypatch)
    _all_check_before_any_insert(monkeypatch)
    people = UserFactory.create_batch(THREADS)
    results = _race(people)
    assert sum(isinstance(r, Term) for r in results) == 1, results
    assert all(isinstance(r, (Term, TermOverlap)) for r in results), results
    assert Term.objects.filter(office__slug="chair").count() == 1


def test_the_race_is_real_without_lock_and_constraint(monkeypatch):
    _no_lock(monkeypatch)
    _all_check_before_any_insert(monkeypatch)
    constraint = next(c for c in Term._meta.constraints if c.name == "term_one_holder_per_office")
    with connection.schema_editor() as editor:
        editor.remove_constraint(Term, constraint)
    try:
        people = UserFactory.create_batch(THREADS)
        results = _race(people)
        assert sum(isinstance(r, Term) for r in results) > 1, results
    finally:
        Term.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(Term, constraint)


def test_a_double_click_on_join_makes_one_membership(ecosystem, member):
    group = PracticeGroupFactory()
    results = run_concurrently(lambda i: practice_group_join(acting_user=member, group=group), 4)
    assert len({r.pk for r in results}) == 1, results
    assert group.memberships.filter(person=member).count() == 1
