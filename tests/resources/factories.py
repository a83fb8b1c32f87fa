"""Factories of the resource library."""

from __future__ import annotations

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from resources import samples, services
from resources.models import Resource, Topic


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class ResourceFactory(factory.django.DjangoModelFactory):
    """A published resource (rows only; use `add_file` for a stored file)."""

    class Meta:
        model = Resource
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Library resource {n}")
    slug = factory.Sequence(lambda n: f"library-resource-{n}")
    summary = "A resource for STEM learning ecosystems."
    body = "How ecosystems use it."
    kind = Resource.Kind.TOOLKIT
    attribute = Resource.Attribute.PARTNERSHIPS
    visibility = Resource.Visibility.PUBLIC
    is_published = True
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


def pdf_upload(name: str = "toolkit.pdf", title: str = "Toolkit") -> ContentFile:
    return ContentFile(samples.pdf_bytes(title, ["A page of the toolkit."]), name=name)


def add_file(resource: Resource, upload=None, *, user=None, note: str = ""):
    """Upload a file for `resource` through the service (a new version)."""
    return services.resource_add_version(
        acting_user=user, resource=resource, upload=upload or pdf_upload(), note=note
    )
