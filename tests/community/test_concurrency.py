"""One survey response per person under concurrent posts (PostgreSQL). Without the
survey row lock and the unique "has responded" row, every thread gets in."""

from __future__ import annotations

import pytest

from community import services
from community.models import Answer, Response, SurveyParticipation
from community.services import surveys
from slecop.errors import Conflict
from tests.community.factories import SurveyFactory, add_questions, answers_for
from tests.concurrency import run_concurrently
from tests.factories import EcosystemFactory, make_lead

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 6


def _one_person_responds_from_every_thread() -> list:
    survey = SurveyFactory()
    questions = add_questions(survey)
    lead = make_lead(EcosystemFactory())
    return run_concurrently(
        lambda i: services.survey_respond(
            acting_user=lead, survey=survey, answers=answers_for(questions)
        ),
        THREADS,
    )


def test_concurrent_responses_by_one_person_leave_exactly_one():
    results = _one_person_responds_from_every_thread()
    assert sum(isinstance(r, Response) for r in results) == 1
    assert all(isinstance(r, Response | Conflict) for r in results), results
    assert Response.objects.count() == 1
    assert SurveyParticipation.objects.count() == 1
    assert Answer.objects.count() == 5


def test_the_unique_row_holds_when_the_lock_is_bypassed(monkeypatch):
    """The database constraint backs the rule if a caller skips the lock."""
    monkeypatch.setattr(surveys, "lock_one", lambda model, pk: model.objects.get(pk=pk))
    results = _one_person_responds_from_every_thread()
    assert sum(isinstance(r, Response) for r in results) == 1
    assert Response.objects.count() == 1


def test_many_people_respond_at_once():
    survey = SurveyFactory()
    questions = add_questions(survey)
    leads = [make_lead(EcosystemFactory()) for _ in range(THREADS)]
    results = run_concurrently(
        lambda i: services.survey_respond(
            acting_user=leads[i], survey=survey, answers=answers_for(questions)
        ),
        THREADS,
    )
    assert all(isinstance(r, Response) for r in results), results
    assert SurveyParticipation.objects.count() == THREADS
