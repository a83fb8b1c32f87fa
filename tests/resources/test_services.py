"""Writes of the library: create, versions, publish, feature, suggest, delete, download
counts — each through its service, with audit entries and emails."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from members.models import AuditEntry
from resources import samples, services
from resources.models import Resource, ResourceVersion
from slecop.errors import DomainError, NotAllowed
from tests.factories import UserFactory

from .factories import ResourceFactory, TopicFactory, add_file, pdf_upload

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    return {
        "title": "Family STEM Night Toolkit",
        "summary": "Plan a family STEM night.",
        "kind": Resource.Kind.TOOLKIT,
        "visibility": Resource.Visibility.MEMBERS,
        **overrides,
    }


def test_create_with_a_file_publishes_with_a_unique_slug_and_audits(staff_user, stored_files):
    topic = TopicFactory()
    first = services.resource_create(
        acting_user=staff_user,
        fields=_fields(),
        topics=[topic],
        is_published=True,
        upload=pdf_upload("family-night.pdf"),
    )
    second = services.resource_create(
        acting_user=staff_user, fields=_fields(body="Same title, other text."), is_published=True
    )
    assert first.slug == "family-stem-night-toolkit"
    assert second.slug == "family-stem-night-toolkit-2"
    assert first.is_published and first.published_at is not None
    assert list(first.topics.all()) == [topic]
    assert first.current_version.filename == "family-night.pdf"
    assert stored_files() == [first.current_version.file.name]
    actions = set(
        AuditEntry.objects.filter(object_id=str(first.pk)).values_list("action", flat=True)
    )
    assert actions == {"resource.created", "resource.version_added", "resource.published"}


def test_a_reserved_slug_is_never_given(staff_user):
    resource = services.resource_create(acting_user=staff_user, fields=_fields(title="Suggest"))
    assert resource.slug == "suggest-resource"
    assert resource.get_absolute_url() != reverse("resources:suggest")


def test_a_new_upload_adds_a_version_and_keeps_the_old_ones(staff_user, client, stored_files):
    resource = ResourceFactory()
    v1 = add_file(resource, pdf_upload("kit.pdf", "Kit one"), user=staff_user)
    v2 = add_file(resource, pdf_upload("kit.pdf", "Kit two"), user=staff_user, note="New examples")
    resource.refresh_from_db()
    assert (v1.number, v2.number) == (1, 2)
    assert resource.current_version == v2
    assert v1.file.name != v2.file.name and len(stored_files()) == 2
    page = client.get(resource.get_absolute_url()).content.decode()
    assert v1.get_download_url() in page and v2.get_download_url() in page
    assert "New examples" in page
    old = client.get(v1.get_download_url())
    assert b"Kit one" in b"".join(old.streaming_content)
    current = client.get(resource.get_download_url())
    assert b"Kit two" in b"".join(current.streaming_content)


def test_update_through_the_service_changes_fields_and_adds_a_version(staff_user):
    resource = services.resource_create(
        acting_user=staff_user, fields=_fields(), upload=pdf_upload()
    )
    updated = services.resource_update(
        acting_user=staff_user,
        resource=resource,
        fields={"title": "Family STEM Night Toolkit (2025)", "visibility": "public"},
        is_published=True,
        upload=pdf_upload("v2.pdf"),
        version_note="Updated for 2025",
    )
    assert updated.title == "Family STEM Night Toolkit (2025)"
    assert updated.slug == "family-stem-night-toolkit"  # links keep working
    assert updated.is_published and updated.visibility == "public"
    assert list(updated.versions.values_list("number", "note")) == [
        (2, "Updated for 2025"),
        (1, ""),
    ]
    entry = AuditEntry.objects.get(action="resource.updated", object_id=str(resource.pk))
    assert entry.before["visibility"] == "members" and entry.after["visibility"] == "public"


def test_grant_fields_belong_to_grants_only(staff_user):
    grant = services.resource_create(
        acting_user=staff_user,
        fields=_fields(
            title="Innovation grants",
            kind="grant",
            funder="STEM Next",
            deadline=timezone.localdate(),
            amount_min_cents=100_000,
            amount_max_cents=500_000,
            external_url="https://funder.example.org/apply",
        ),
    )
    assert grant.funder == "STEM Next" and grant.amount_max_cents == 500_000
    toolkit = services.resource_create(
        acting_user=staff_user,
        fields=_fields(funder="Nobody", amount_min_cents=5, deadline=timezone.localdate()),
    )
    assert toolkit.funder == "" and toolkit.amount_min_cents is None and toolkit.deadline is None
    with pytest.raises(Exception, match="amount"):
        services.resource_create(
            acting_user=staff_user,
            fields=_fields(kind="grant", amount_min_cents=900, amount_max_cents=100),
        )


def test_publishing_needs_a_file_a_link_or_a_description(staff_user):
    empty = services.resource_create(acting_user=staff_user, fields=_fields())
    with pytest.raises(DomainError, match="no file, link or description"):
        services.resource_set_published(acting_user=staff_user, resource=empty, published=True)
    empty.refresh_from_db()
    assert not empty.is_published


def test_publish_unpublish_and_feature_are_audited_and_idempotent(staff_user):
    resource = ResourceFactory(is_published=False, published_at=None)
    services.resource_set_published(acting_user=staff_user, resource=resource, published=True)
    services.resource_set_published(acting_user=staff_user, resource=resource, published=True)
    services.resource_set_published(acting_user=staff_user, resource=resource, published=False)
    services.resource_set_featured(acting_user=staff_user, resource=resource, featured=True)
    resource.refresh_from_db()
    assert not resource.is_published and resource.is_featured
    assert resource.published_at is not None  # first publication date is kept
    actions = list(
        AuditEntry.objects.filter(object_id=str(resource.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["resource.published", "resource.unpublished", "resource.featured"]


def test_delete_removes_rows_and_files_after_commit(
    staff_user, stored_files, django_capture_on_commit_callbacks
):
    resource = ResourceFactory()
    add_file(resource)
    add_file(resource)
    assert len(stored_files()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_delete(acting_user=staff_user, resource=resource)
    assert not Resource.objects.filter(pk=resource.pk).exists()
    assert ResourceVersion.objects.count() == 0
    assert stored_files() == []
    assert AuditEntry.objects.filter(action="resource.deleted").exists()


def test_a_failed_database_write_removes_the_stored_file(staff_user, stored_files, monkeypatch):
    resource = ResourceFactory()

    def boom(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(ResourceVersion, "save", boom)
    with pytest.raises(RuntimeError):
        add_file(resource, user=staff_user)
    assert stored_files() == []


# --- suggestions -------------------------------------------------------------------------------


def test_a_member_suggests_a_resource_staff_are_told_and_it_waits_unpublished(
    client, member, ecosystem, mailoutbox, django_capture_on_commit_callbacks, settings
):
    topic = TopicFactory(name="Robotics", slug="robotics")
    client.force_login(member)
    assert client.get(reverse("resources:suggest")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("resources:suggest"),
            {
                "title": "Robotics club playbook",
                "summary": "How our ecosystem runs robotics clubs.",
                "kind": "playbook",
                "attribute": "teaching",
                "audience": "educators",
                "topics": [topic.pk],
                "file": ContentFile(samples.pdf_bytes("Robotics"), name="robotics.pdf"),
            },
        )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert not resource.is_published and resource.suggested_by == member
    assert resource.visibility == Resource.Visibility.MEMBERS
    assert resource.current_version.filename == "robotics.pdf"
    assert list(resource.topics.all()) == [topic]
    to_staff, to_member = mailoutbox
    assert to_staff.to == [settings.STAFF_NOTIFICATION_EMAIL]
    assert "Robotics club playbook" in to_staff.subject
    assert ecosystem.name in to_staff.body
    assert f"/admin/resources/resource/{resource.pk}/change/" in to_staff.body
    assert to_member.to == [member.email] and ecosystem.name in to_member.body
    # not in the library until staff publish it
    assert client.get(resource.get_absolute_url()).status_code == 404


def test_publishing_a_suggestion_tells_the_person_who_suggested_it(
    staff_user, member, ecosystem, mailoutbox, django_capture_on_commit_callbacks
):
    resource = services.resource_suggest(
        acting_user=member,
        fields={
            "title": "Makerspace guide",
            "summary": "s",
            "kind": "toolkit",
            "external_url": "https://example.org/makerspace",
        },
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_set_published(acting_user=staff_user, resource=resource, published=True)
    [message] = mailoutbox
    assert message.to == [member.email]
    assert "Makerspace guide" in message.subject and ecosystem.name in message.body
    assert resource.get_absolute_url() in message.body


def test_suggestions_need_a_role_and_some_content(client, member, db):
    outsider = UserFactory()
    with pytest.raises(NotAllowed):
        services.resource_suggest(acting_user=outsider, fields={"title": "x", "summary": "y"})
    client.force_login(outsider)
    assert client.get(reverse("resources:suggest")).status_code == 403
    client.force_login(member)
    response = client.post(
        reverse("resources:suggest"),
        {
            "title": "Empty",
            "summary": "Nothing attached",
            "kind": "toolkit",
            "audience": "everyone",
        },
    )
    assert response.status_code == 400
    assert "Attach a file, give a link or describe" in response.content.decode()
    assert not Resource.objects.exists()


def test_suggest_requires_sign_in(client):
    response = client.get(reverse("resources:suggest"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- download counts ---------------------------------------------------------------------------


def test_downloads_of_links_are_counted_and_redirect(client):
    resource = ResourceFactory(external_url="https://video.example.org/webinar")
    response = client.get(resource.get_download_url())
    assert response.status_code == 302
    assert response["Location"] == "https://video.example.org/webinar"
    resource.refresh_from_db()
    assert resource.download_count == 1


def test_a_resource_without_file_or_link_has_no_download(client):
    resource = ResourceFactory(body="Read it here.")
    assert client.get(resource.get_download_url()).status_code == 404
    assert client.post(resource.get_download_url()).status_code == 405
