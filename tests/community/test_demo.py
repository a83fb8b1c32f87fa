"""Demo community data: plausible, idempotent, and the demo lead still has work waiting."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from community import selectors
from community.models import (
    Announcement,
    Comment,
    Consultation,
    ConsultationVersion,
    Response,
    Survey,
    SurveyParticipation,
    TownHall,
    TownHallRegistration,
)
from members.models import User

pytestmark = pytest.mark.django_db

MODELS = (Consultation, Comment, TownHall, TownHallRegistration, Response, Announcement)


def test_seed_demo_community_is_idempotent_and_usable(client):
    call_command("seed_demo", "--ecosystems", "30", "--quiet")
    first = [m.objects.count() for m in MODELS]
    call_command("seed_demo", "--ecosystems", "30", "--quiet")
    assert [m.objects.count() for m in MODELS] == first

    plan = Consultation.objects.get(slug="draft-plan-for-sustainability")
    assert plan.is_open()
    assert plan.comments.exclude(section=None).exists()
    assert ConsultationVersion.objects.filter(is_final=True).count() == 1
    survey = Survey.objects.get(slug="stem-priorities-survey")
    assert Response.objects.filter(survey=survey, respondent__isnull=False).count() == 0
    assert SurveyParticipation.objects.filter(survey=survey).count() == survey.responses.count()

    lead = User.objects.get(email="lead@example.org")
    assert list(selectors.open_surveys_for(lead)) == [survey]
    client.force_login(lead)
    page = client.get(plan.get_absolute_url())
    assert page.status_code == 200 and "Add a comment" in page.text
    assert client.get(survey.get_absolute_url()).status_code == 200
    staff = User.objects.get(email="staff@example.org")
    client.force_login(staff)
    results = client.get(reverse("community:survey_results", kwargs={"slug": survey.slug}))
    assert results.status_code == 200 and "<svg" in results.text
