"""Comment visibility, escaping, permissions and section parsing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import Comment, Consultation, FAQEntry
from community.services.consultations import split_sections
from members.models import AuditEntry
from slecop.errors import Conflict, NotAllowed
from tests.community.factories import ConsultationFactory
from tests.factories import EcosystemFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


def test_split_sections_unique_anchors_and_fences():
    sections = split_sections(
        "Intro\n\n## Goals\n\nA\n\n## Goals\n\nB\n\n```\n## not a heading\n```\n"
    )
    assert [s[0] for s in sections] == ["introduction", "goals", "goals-2"]
    assert "## not a heading" in sections[2][2]


def test_members_see_comments_anonymous_users_do_not(client, consultation, lead, member):
    services.comment_create(acting_user=lead, consultation=consultation, body="Members see this")
    assert "Members see this" not in client.get(consultation.get_absolute_url()).text
    client.force_login(member)
    assert "Members see this" in client.get(consultation.get_absolute_url()).text
    client.force_login(UserFactory())  # signed in, but in no ecosystem
    assert "Members see this" not in client.get(consultation.get_absolute_url()).text


def test_stewardship_only_comments(client, lead, member, steward_user):
    consultation = ConsultationFactory(comment_visibility=Consultation.Visibility.STEWARDSHIP)
    services.comment_create(acting_user=lead, consultation=consultation, body="For the team")
    client.force_login(member)
    assert "For the team" not in client.get(consultation.get_absolute_url()).text
    client.force_login(lead)
    assert "For the team" in client.get(consultation.get_absolute_url()).text  # their own
    client.force_login(steward_user)
    assert "For the team" in client.get(consultation.get_absolute_url()).text


def test_comment_reply_and_faq_are_escaped(client, consultation, lead, steward_user):
    comment = services.comment_create(
        acting_user=lead, consultation=consultation, body=f"Comment {SCRIPT}"
    )
    services.comment_respond(
        acting_user=steward_user, comment=comment, outcome="noted", reply=f"Reply {SCRIPT}"
    )
    entry = services.faq_ask(
        acting_user=lead, consultation=consultation, question=f"Question {SCRIPT}"
    )
    services.faq_answer(acting_user=steward_user, entry=entry, answer=f"Answer {SCRIPT}")
    client.force_login(lead)
    page = client.get(consultation.get_absolute_url()).text
    assert SCRIPT not in page
    for prefix in ("Comment", "Reply", "Question", "Answer"):
        assert f"{prefix} &lt;script&gt;" in page
    assert AuditEntry.objects.filter(action="community.comment_responded").count() == 1


def test_only_members_comment_and_only_moderators_respond(client, consultation, lead):
    outsider = UserFactory()
    with pytest.raises(NotAllowed):
        services.comment_create(acting_user=outsider, consultation=consultation, body="x")
    comment = services.comment_create(acting_user=lead, consultation=consultation, body="x")
    with pytest.raises(NotAllowed):
        services.comment_respond(acting_user=lead, comment=comment, outcome="accepted")
    client.force_login(lead)
    url = reverse("community:comment_respond", kwargs={"slug": consultation.slug, "pk": comment.pk})
    assert client.post(url, {"outcome": "accepted"}).status_code == 403
    comment.refresh_from_db()
    assert comment.outcome == Comment.Outcome.PENDING


def test_not_yet_open_and_unpublished(client, lead):
    later = ConsultationFactory(opens_at=timezone.now() + dt.timedelta(days=2))
    with pytest.raises(Conflict, match="not open yet"):
        services.comment_create(acting_user=lead, consultation=later, body="early")
    draft = ConsultationFactory(published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_bad_input_is_a_form_error(client, consultation, lead):
    other = ConsultationFactory()
    foreign_section = other.versions.get().sections.first()
    client.force_login(lead)
    url = reverse("community:comment_create", kwargs={"slug": consultation.slug})
    assert client.post(url, {"body": ""}).status_code == 400
    assert client.post(url, {"section": foreign_section.pk, "body": "x"}).status_code == 400
    assert client.post(url, {"section": "abc", "body": "x"}).status_code == 400
    assert not Comment.objects.exists()


def test_comment_on_old_version_section_is_refused(consultation, lead, steward_user):
    old_section = consultation.versions.get().sections.last()
    services.consultation_version_publish(
        acting_user=steward_user, consultation=consultation, body="## New\n\nText"
    )
    with pytest.raises(Exception, match="not in the current version"):
        services.comment_create(
            acting_user=lead, consultation=consultation, body="x", section=old_section
        )


def test_finalize_only_after_close(consultation, steward_user):
    with pytest.raises(Conflict):
        services.consultation_finalize(
            acting_user=steward_user, consultation=consultation, body="x", summary_of_changes="y"
        )


def test_consultation_page_queries_constant(
    client, consultation, lead, steward_user, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            author = make_member(EcosystemFactory())
            services.comment_create(acting_user=author, consultation=consultation, body="c")
            services.faq_answer(
                acting_user=steward_user,
                entry=services.faq_ask(acting_user=author, consultation=consultation, question="q"),
                answer="a",
            )

    add(2)
    client.force_login(steward_user)
    with django_assert_max_num_queries(40) as first:
        client.get(consultation.get_absolute_url())
    add(8)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(consultation.get_absolute_url())
    assert FAQEntry.objects.count() == 10


def test_comment_list_pages_and_visibility(client, consultation, lead, member):
    section = consultation.versions.get().sections.last()
    for i in range(7):
        services.comment_create(
            acting_user=lead, consultation=consultation, body=f"Comment number {i}", section=section
        )
    url = reverse("community:comment_list", kwargs={"slug": consultation.slug})
    assert "Comment number" not in client.get(url).text  # anonymous visitors see none
    client.force_login(member)
    page = client.get(consultation.get_absolute_url()).text
    assert page.count("Comment number") == 5  # the latest five on the document page
    assert "All 7 comments on this section" in page
    listing = client.get(url, {"section": section.pk}).text
    assert listing.count("Comment number") == 7
    assert client.get(url, {"section": "whole"}).status_code == 200
    assert client.get(url, {"section": "x"}).status_code == 404
    other = ConsultationFactory().versions.get().sections.first()
    assert client.get(url, {"section": other.pk}).status_code == 404


def test_earlier_versions_stay_readable(client, consultation, lead, steward_user):
    services.consultation_version_publish(
        acting_user=steward_user,
        consultation=consultation,
        body="## Revised goals\n\nNew text",
        summary_of_changes="Goals rewritten after the town hall.",
    )
    client.force_login(lead)
    latest = client.get(consultation.get_absolute_url()).text
    assert 'id="revised-goals"' in latest and "Goals rewritten" in latest
    first = client.get(consultation.get_absolute_url(), {"version": "1"}).text
    assert 'id="add-on-services"' in first and "an earlier version" in first
    assert "Add a comment" not in first  # comments go on the current version
    assert client.get(consultation.get_absolute_url(), {"version": "x"}).status_code == 200


def test_author_is_emailed_the_outcome(
    consultation, lead, ecosystem, steward_user, django_capture_on_commit_callbacks, mailoutbox
):
    comment = services.comment_create(acting_user=lead, consultation=consultation, body="Hi")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_respond(
            acting_user=steward_user, comment=comment, outcome="accepted", reply=f"Yes {SCRIPT}"
        )
    with django_capture_on_commit_callbacks(execute=True):  # nothing changed: no new email
        services.comment_respond(
            acting_user=steward_user, comment=comment, outcome="accepted", reply=f"Yes {SCRIPT}"
        )
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [lead.email] and "Accepted" in email.subject
    assert ecosystem.name in email.body and consultation.get_absolute_url() in email.body
    assert SCRIPT not in email.alternatives[0][0]


def test_maintained_faq_page(client, consultation, lead, steward_user):
    for target, text in [(consultation, "Plan question"), (None, "General question")]:
        entry = services.faq_ask(acting_user=lead, consultation=target, question=f"{text} {SCRIPT}")
        services.faq_answer(acting_user=steward_user, entry=entry, answer="An answer")
    FAQEntry.objects.create(  # on a consultation that is not published
        consultation=ConsultationFactory(published=False),
        question="Hidden",
        answer="x",
        status=FAQEntry.Status.PUBLISHED,
        updated_on=timezone.now(),
    )
    services.faq_ask(acting_user=lead, consultation=None, question="Unanswered")
    url = reverse("community:faq")
    page = client.get(url).text
    assert "Plan question &lt;script&gt;" in page and "General question" in page
    assert "Hidden" not in page and "Unanswered" not in page and SCRIPT not in page
    assert "Updated on" in page
    assert client.post(url, {"question": "Anonymous?"}).status_code == 403
    client.force_login(lead)
    assert client.post(url, {"question": "When is the next town hall?"}).status_code == 302
    assert client.post(url, {"question": ""}).status_code == 400
    assert FAQEntry.objects.filter(consultation=None, status="submitted").count() == 2
