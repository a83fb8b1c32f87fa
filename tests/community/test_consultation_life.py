"""A consultation's whole life, as the issue asks: open → comments on sections → FAQ
question answered → deadline passes → commenting refused → final version with summary."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from community import services
from community.models import Comment, ConsultationVersion, FAQEntry
from members.models import Region
from slecop.errors import Conflict
from tests.community.factories import PLAN
from tests.factories import EcosystemFactory, make_member

NEW_YORK = ZoneInfo("America/New_York")
OPENS = dt.datetime(2019, 11, 1, 9, tzinfo=NEW_YORK)
CLOSES = dt.datetime(
    2019, 11, 30, 17, tzinfo=NEW_YORK
)  # "all comments due by November 30, 2019 5:00 PM EST"

pytestmark = pytest.mark.django_db


def test_full_life_of_a_consultation(client, lead, ecosystem, steward_user):
    south = EcosystemFactory(region=Region.objects.get(slug="south"))
    south_member = make_member(south)
    with time_machine.travel(dt.datetime(2019, 10, 30, 12, tzinfo=NEW_YORK), tick=False):
        consultation = services.consultation_create(
            acting_user=steward_user,
            title="STEM Learning Ecosystem Community of Practice DRAFT Plan for Sustainability",
            slug="draft-plan-2019",
            body=PLAN,
            opens_at=OPENS,
            closes_at=CLOSES,
        )
    url = consultation.get_absolute_url()
    version = consultation.versions.get()
    sections = {s.anchor: s for s in version.sections.all()}
    assert list(sections) == [
        "introduction",
        "operating-and-governance-framework",
        "slecop-participation-and-membership",
        "add-on-services",
    ]

    with time_machine.travel(dt.datetime(2019, 11, 15, 12, tzinfo=NEW_YORK), tick=False):
        client.force_login(lead)
        page = client.get(url)
        assert page.status_code == 200
        assert 'id="slecop-participation-and-membership"' in page.text
        membership = sections["slecop-participation-and-membership"]
        response = client.post(
            reverse("community:comment_create", kwargs={"slug": consultation.slug}),
            {"section": membership.pk, "body": "Offer a scholarship for small ecosystems."},
        )
        assert response.status_code == 302
        assert response["Location"].endswith("#slecop-participation-and-membership")
        client.post(
            reverse("community:comment_create", kwargs={"slug": consultation.slug}),
            {"section": "", "body": "Thank you for a clear plan."},
        )
        client.post(
            reverse("community:faq_ask", kwargs={"slug": consultation.slug}),
            {"question": "Who sets the membership criteria for good standing?"},
        )
        client.force_login(south_member)
        client.post(
            reverse("community:comment_create", kwargs={"slug": consultation.slug}),
            {"section": sections["add-on-services"].pk, "body": "Add asset mapping."},
        )

        comments = {c.body: c for c in Comment.objects.all()}
        assert comments["Offer a scholarship for small ecosystems."].section == membership
        assert comments["Thank you for a clear plan."].section is None
        assert comments["Add asset mapping."].region.slug == "south"
        client.force_login(steward_user)
        client.post(
            reverse(
                "community:comment_respond",
                kwargs={
                    "slug": consultation.slug,
                    "pk": comments["Offer a scholarship for small ecosystems."].pk,
                },
            ),
            {"outcome": "accepted", "reply": "Added a scholarship system."},
        )
        client.post(
            reverse(
                "community:comment_respond",
                kwargs={"slug": consultation.slug, "pk": comments["Add asset mapping."].pk},
            ),
            {"outcome": "declined", "reply": "Already listed."},
        )
        question = FAQEntry.objects.get()
        client.post(
            reverse("community:faq_answer", kwargs={"slug": consultation.slug, "pk": question.pk}),
            {"answer": "The interim leadership team.", "publish": "on"},
        )
        question.refresh_from_db()
        assert question.status == FAQEntry.Status.PUBLISHED
        assert question.updated_on is not None
        client.force_login(lead)
        page = client.get(url)
        assert "The interim leadership team." in page.text
        assert "Updated on" in page.text
        assert "Added a scholarship system." in page.text

    # the deadline passes: the service refuses, whatever page the member had open
    with time_machine.travel(dt.datetime(2019, 11, 30, 17, 1, tzinfo=NEW_YORK), tick=False):
        client.force_login(lead)
        response = client.post(
            reverse("community:comment_create", kwargs={"slug": consultation.slug}),
            {"section": "", "body": "One last thought."},
        )
        assert response.status_code == 409
        assert "Comments closed on November 30, 2019" in response.text
        with pytest.raises(Conflict):
            services.comment_create(
                acting_user=lead, consultation=consultation, body="Directly to the service."
            )
        assert Comment.objects.count() == 3

        client.force_login(steward_user)
        response = client.post(
            reverse("community:consultation_finalize", kwargs={"slug": consultation.slug}),
            {
                "body": PLAN + "\n\n## Scholarships\n\nA scholarship system supports ecosystems.",
                "summary_of_changes": "Added a scholarship section after the comments.",
            },
        )
        assert response.status_code == 302

    final = ConsultationVersion.objects.get(is_final=True)
    assert final.number == 2
    summary = final.comment_summary
    assert summary["total"] == 3
    assert summary["by_outcome"] == {"pending": 1, "accepted": 1, "noted": 0, "declined": 1}
    by_region = {row["region"]: row for row in summary["by_region"]}
    assert by_region["Northeast"]["accepted"] == 1 and by_region["Northeast"]["pending"] == 1
    assert by_region["South"]["declined"] == 1
    client.force_login(lead)
    page = client.get(url)
    assert "Final version" in page.text
    assert "Added a scholarship section after the comments." in page.text
    assert 'id="scholarships"' in page.text
    assert "3 comments received" in page.text
