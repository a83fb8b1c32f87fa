"""Library search covers titles, summaries, topics and kinds on SQLite as on PostgreSQL
(issue 28). On PostgreSQL the test also runs the SQLite path (icontains), so one run on
each backend covers both."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from resources import selectors
from resources.models import Resource

from .factories import ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db

PATHS = ["icontains"] + (["full-text"] if connection.vendor == "postgresql" else [])


@pytest.fixture(params=PATHS)
def search_path(request, monkeypatch):
    if request.param == "icontains":
        monkeypatch.setattr(selectors, "uses_postgres_search", lambda: False)
    return request.param


def _found(client, q: str) -> set[str]:
    response = client.get(reverse("resources:library"), {"q": q})
    assert response.status_code == 200
    return {r.title for r in response.context["page_obj"]}


def _library():
    equity = TopicFactory(name="Equity", slug="equity")
    for n in range(5):
        ResourceFactory(
            title=f"Kit {n}",
            summary="Steps for partners." if n else "A toolkit for partners.",
            body="Plans.",
            kind=Resource.Kind.TOOLKIT,
        )
    ResourceFactory(
        title="Community voice",
        summary="Listening sessions.",
        body="Notes.",
        kind=Resource.Kind.PLAYBOOK,
        topics=[equity],
    )
    ResourceFactory(title="Budget", summary="Money.", body="Numbers.", kind=Resource.Kind.REPORT)


def test_a_kind_finds_every_resource_of_that_kind(client, search_path):
    _library()
    toolkits = {f"Kit {n}" for n in range(5)}
    assert _found(client, "toolkit") == toolkits
    assert _found(client, "Toolkits") == toolkits


def test_a_topic_finds_the_resources_tagged_with_it(client, search_path):
    _library()
    assert _found(client, "equity") == {"Community voice"}
    assert _found(client, "equity playbook") == {"Community voice"}
    assert _found(client, "equity toolkit") == set()


def test_titles_and_summaries_still_found(client, search_path):
    _library()
    assert _found(client, "budget") == {"Budget"}
    assert _found(client, "listening") == {"Community voice"}
