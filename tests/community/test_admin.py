"""The community admin: pages open for staff, and writes go through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import Announcement, Comment, Consultation, FAQEntry
from members.models import AuditEntry
from tests.community.factories import (
    AnnouncementFactory,
    SurveyFactory,
    TownHallFactory,
    add_questions,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "consultation",
    "comment",
    "faqentry",
    "townhall",
    "survey",
    "question",
    "announcement",
    "partner",
]


def test_every_community_admin_page_opens(client, staff_user, consultation, lead):
    comment = services.comment_create(acting_user=lead, consultation=consultation, body="Hi")
    survey = SurveyFactory()
    question = add_questions(survey)["single"]
    objects = {
        "consultation": consultation,
        "comment": comment,
        "townhall": TownHallFactory(),
        "survey": survey,
        "question": question,
        "announcement": AnnouncementFactory(),
    }
    client.force_login(staff_user)
    for model in MODELS:
        url = reverse(f"admin:community_{model}_changelist")
        assert client.get(url).status_code == 200, model
        assert client.get(url + "?q=plan").status_code == 200, model
    for model, obj in objects.items():
        url = reverse(f"admin:community_{model}_change", args=[obj.pk])
        assert client.get(url).status_code == 200, model
    assert client.get(reverse("admin:community_consultation_add")).status_code == 200


def test_admin_creates_a_consultation_with_its_first_draft(client, staff_user):
    client.force_login(staff_user)
    now = timezone.now()
    response = client.post(
        reverse("admin:community_consultation_add"),
        {
            "title": "Draft plan",
            "slug": "draft-plan",
            "summary": "",
            "opens_at_0": now.date().isoformat(),
            "opens_at_1": "09:00:00",
            "closes_at_0": (now + dt.timedelta(days=20)).date().isoformat(),
            "closes_at_1": "17:00:00",
            "comment_visibility": "members",
            "published": "on",
            "body": "Intro\n\n## Goals\n\nText",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    consultation = Consultation.objects.get()
    assert [s.anchor for s in consultation.versions.get().sections.all()] == [
        "introduction",
        "goals",
    ]


def test_comment_actions_and_faq_answers_go_through_services(
    client, staff_user, consultation, lead
):
    comment = services.comment_create(acting_user=lead, consultation=consultation, body="Hi")
    entry = services.faq_ask(acting_user=lead, consultation=consultation, question="When?")
    client.force_login(staff_user)
    client.post(
        reverse("admin:community_comment_changelist"),
        {"action": "mark_accepted", "_selected_action": [comment.pk]},
    )
    comment.refresh_from_db()
    assert comment.outcome == Comment.Outcome.ACCEPTED and comment.responded_by == staff_user
    assert AuditEntry.objects.filter(action="community.comment_responded").exists()
    client.post(
        reverse("admin:community_faqentry_change", args=[entry.pk]),
        {"consultation": consultation.pk, "question": "When?", "answer": "In January.", "order": 1},
    )
    entry.refresh_from_db()
    assert entry.status == FAQEntry.Status.PUBLISHED and entry.updated_on is not None


def test_announcement_publish_action(client, staff_user):
    draft = AnnouncementFactory(published_at=None)
    client.force_login(staff_user)
    client.post(
        reverse("admin:community_announcement_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    assert Announcement.objects.get().published_at is not None
    assert AuditEntry.objects.filter(action="community.announcement_published").exists()
