"""Library browsing and search: full-text ranking on PostgreSQL, the icontains fallback on
SQLite, facets, pagination, and a constant number of queries whatever the library's size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from resources import services
from resources.models import Resource, ResourceVersion, Topic
from tests.factories import make_in_good_standing

from .factories import ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return [r.title for r in response.context["page_obj"]]


def _search(client, **params):
    response = client.get(reverse("resources:library"), params)
    assert response.status_code == 200
    return response


def _ranking_library():
    ResourceFactory(
        title="Partnership basics",
        summary="Getting started.",
        body="Robotics clubs, robotics fairs, robotics mentors: robotics everywhere.",
    )
    ResourceFactory(title="Robotics club playbook", summary="Clubs.", body="How to start.")
    ResourceFactory(title="Mentoring guide", summary="Robotics mentors for girls.", body="Plan.")
    ResourceFactory(title="Unrelated", summary="Nothing here.", body="Gardening.")


@pytest.mark.postgres
def test_title_match_ranks_above_summary_and_body_matches_on_postgres(client):
    _ranking_library()
    response = _search(client, q="robotics")
    assert response.context["full_text"] is True
    # the body says "robotics" four times; the title match still wins
    assert _titles(response) == ["Robotics club playbook", "Mentoring guide", "Partnership basics"]


@pytest.mark.postgres
def test_postgres_search_stems_words_and_understands_phrases_and_exclusions(client):
    ResourceFactory(title="Mentoring young engineers", body="Volunteers mentor students.")
    ResourceFactory(title="Engineering fair", body="Judges and mentors.")
    assert set(_titles(_search(client, q="mentors"))) == {
        "Mentoring young engineers",
        "Engineering fair",
    }
    assert _titles(_search(client, q='"young engineers"')) == ["Mentoring young engineers"]
    assert _titles(_search(client, q="mentor -fair")) == ["Mentoring young engineers"]
    # punctuation and operators typed by people never break the query
    for q in ("&&", "!!!", "'\"", "a | b", "(", "<script>", "mentor:*"):
        _search(client, q=q)


@pytest.mark.postgres
def test_the_search_vector_follows_every_write_and_is_indexed():
    resource = ResourceFactory(title="Soil science kit", body="Worms.")
    Resource.objects.filter(pk=resource.pk).update(title="Astronomy kit")  # a bulk update
    Resource.objects.bulk_create(
        [Resource(title="Comet guide", slug="comet", summary="s", kind="toolkit")]
    )
    vectors = dict(Resource.objects.values_list("title", "search_vector"))
    assert "astronomi" in vectors["Astronomy kit"] and "soil" not in vectors["Astronomy kit"]
    assert "'comet':1A" in vectors["Comet guide"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'resources_resource_search_gin'"
        )
        [(indexdef,)] = cursor.fetchall()
    assert "USING gin (search_vector)" in indexdef


@pytest.mark.postgres
def test_the_gin_index_serves_the_search(client):
    ResourceFactory(title="Robotics club playbook")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM resources_resource "
            "WHERE search_vector @@ websearch_to_tsquery('english', 'robotics')"
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "resources_resource_search_gin" in plan


def test_fallback_finds_words_anywhere_and_puts_title_matches_first(client, monkeypatch):
    """SQLite's search (forced on PostgreSQL too, so both runs test it)."""
    monkeypatch.setattr("resources.selectors.uses_postgres_search", lambda: False)
    _ranking_library()
    response = _search(client, q="robotics")
    assert response.context["full_text"] is False
    assert _titles(response) == ["Robotics club playbook", "Mentoring guide", "Partnership basics"]
    assert _titles(_search(client, q="PLAYBOOK robotics")) == ["Robotics club playbook"]
    assert _titles(_search(client, q="girls mentors")) == ["Mentoring guide"]


def test_facets_filter_and_count_within_the_other_filters(client):
    family = TopicFactory(name="Family engagement", slug="family-engagement")
    data = TopicFactory(name="Data and evaluation", slug="data-and-evaluation")
    ResourceFactory(title="A", kind="toolkit", attribute="teaching", topics=[family])
    ResourceFactory(title="B", kind="toolkit", attribute="measurement", topics=[data])
    ResourceFactory(title="C", kind="report", attribute="measurement", topics=[data, family])
    ResourceFactory(title="D", kind="grant", attribute="", deadline=timezone.localdate())

    everything = _search(client)
    kinds = {f.value: f.count for f in everything.context["facets"]["kind"]}
    assert kinds == {"toolkit": 2, "report": 1, "grant": 1}
    topics = {f.value: f.count for f in everything.context["facets"]["topic"]}
    assert topics == {"family-engagement": 2, "data-and-evaluation": 2}

    toolkits = _search(client, kind="toolkit")
    assert sorted(_titles(toolkits)) == ["A", "B"]
    # the kind facet still offers the other kinds, counted within the other filters
    assert {f.value: f.count for f in toolkits.context["facets"]["kind"]} == kinds
    assert [f.value for f in toolkits.context["facets"]["kind"] if f.selected] == ["toolkit"]
    assert {f.value: f.count for f in toolkits.context["facets"]["attribute"]} == {
        "teaching": 1,
        "measurement": 1,
    }
    both = _search(client, kind="toolkit", topic="data-and-evaluation")
    assert _titles(both) == ["B"]
    assert _titles(_search(client, attribute="measurement", topic="family-engagement")) == ["C"]


def test_grants_sort_by_deadline_and_bad_parameters_are_ignored(client):
    today = timezone.localdate()
    ResourceFactory(title="Later", kind="grant", deadline=today.replace(year=today.year + 1))
    ResourceFactory(title="Sooner", kind="grant", deadline=today)
    ResourceFactory(title="Rolling", kind="grant", deadline=None)
    assert _titles(_search(client, kind="grant", sort="deadline")) == ["Sooner", "Later", "Rolling"]
    for params in (
        {"kind": "spaceship"},
        {"attribute": "x"},
        {"topic": "../../etc"},
        {"sort": "drop table"},
        {"page": "-3"},
        {"page": "abc"},
        {"q": "x" * 5000},
    ):
        response = _search(client, **params)
        assert response.status_code == 200


def test_pagination(client, settings):
    settings.RESOURCES_PAGE_SIZE = 5
    for i in range(12):
        ResourceFactory(title=f"Guide {i:02d}")
    page3 = _search(client, page=3, sort="title")
    assert _titles(page3) == ["Guide 10", "Guide 11"]
    assert 'rel="prev"' in page3.content.decode()


def test_featured_resources_lead_the_unfiltered_library(client, staff_user):
    ResourceFactory(title="Plain")
    star = ResourceFactory(title="Star toolkit")
    services.resource_set_featured(acting_user=staff_user, resource=star, featured=True)
    response = _search(client)
    assert [r.title for r in response.context["featured"]] == ["Star toolkit"]
    assert _titles(response)[0] == "Star toolkit"
    assert _search(client, q="plain").context["featured"] == []


# --- a constant number of queries -----------------------------------------------------------


def _bulk_library(n: int) -> None:
    topics = [TopicFactory(name=f"Topic {i}", slug=f"topic-{i}") for i in range(5)]
    now = timezone.now()
    kinds = Resource.Kind.values
    resources = Resource.objects.bulk_create(
        [
            Resource(
                title=f"Resource {i} about robotics" if i % 3 == 0 else f"Resource {i}",
                slug=f"resource-{i}",
                summary="A resource.",
                body="Robotics for families." if i % 2 else "Gardening.",
                kind=kinds[i % len(kinds)],
                attribute=Resource.Attribute.values[i % 5],
                visibility=Resource.Visibility.values[i % 3],
                is_published=True,
                published_at=now,
            )
            for i in range(n)
        ]
    )
    resources = list(Resource.objects.order_by("id"))
    Resource.topics.through.objects.bulk_create(
        [
            Resource.topics.through(resource_id=r.pk, topic_id=topics[i % 5].pk)
            for i, r in enumerate(resources)
        ]
    )
    versions = ResourceVersion.objects.bulk_create(
        [
            ResourceVersion(
                resource=r,
                number=1,
                file=f"resources/x/{r.pk}.pdf",
                filename=f"{r.slug}.pdf",
                file_type="pdf",
                content_type="application/pdf",
                size_bytes=1000,
                sha256="0" * 64,
            )
            for r in resources
        ]
    )
    for r, v in zip(resources, versions, strict=True):
        r.current_version = v
    Resource.objects.bulk_update(resources, ["current_version"])
    assert Topic.objects.count() == 5


@pytest.mark.parametrize("n", [10, 1000])
@pytest.mark.parametrize("params", [{}, {"q": "robotics"}, {"q": "robotics", "kind": "toolkit"}])
def test_list_and_search_run_a_constant_number_of_queries(
    n, params, client, ecosystem, member, django_assert_max_num_queries
):
    _bulk_library(n)
    make_in_good_standing(ecosystem)
    client.force_login(member)
    # session, user, good standing, count, page, topics of the page, 3 facets,
    # featured (unfiltered page only)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("resources:library"), params)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == min(
        response.context["page_obj"].paginator.count, 20
    )
    assert response.context["page_obj"].paginator.count > 0


@pytest.mark.parametrize("n", [10, 1000])
def test_anonymous_library_pages_are_as_cheap(n, client, django_assert_max_num_queries):
    _bulk_library(n)
    with django_assert_max_num_queries(6):  # count, page, topics of the page, 3 facets
        response = client.get(reverse("resources:library"), {"q": "robotics", "page": 2})
    assert response.status_code == 200
