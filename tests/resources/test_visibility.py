"""The visibility matrix: anonymous / member of a lapsed ecosystem / member in good
standing / staff, each against public / members / staff resources, for the list, search,
facet counts, detail and download. Nothing leaks, including through search results and
counts."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from members.models import Ecosystem
from members.services import ecosystem_role_set
from resources.models import Resource
from resources.selectors import user_in_good_standing
from tests.factories import (
    EcosystemFactory,
    make_in_good_standing,
    make_lapsed,
    make_lead,
    make_member,
)

from .factories import ResourceFactory, TopicFactory, add_file

pytestmark = pytest.mark.django_db

V = Resource.Visibility
SECRET_WORD = "zebracorn"  # in every resource's body: a search for it finds all visible ones
EXPECTED = {
    "anonymous": {V.PUBLIC},
    "lapsed member": {V.PUBLIC},
    "member in good standing": {V.PUBLIC, V.MEMBERS},
    "staff": {V.PUBLIC, V.MEMBERS, V.STAFF},
}


@pytest.fixture
def library(db):
    topic = TopicFactory(name="Family engagement", slug="family-engagement")
    resources = {}
    for visibility in V.values:
        resource = ResourceFactory(
            title=f"Quokka {visibility} guide",
            slug=f"quokka-{visibility}",
            summary=f"The {visibility} summary.",
            body=f"About {SECRET_WORD} and families ({visibility}).",
            visibility=visibility,
            kind=Resource.Kind.PLAYBOOK,
            attribute=Resource.Attribute.TEACHING,
            topics=[topic],
        )
        add_file(resource)
        resources[visibility] = resource
    # unpublished resources are never listed, whatever their visibility
    draft = ResourceFactory(
        title="Quokka draft guide",
        slug="quokka-draft",
        body=f"Draft {SECRET_WORD}",
        visibility=V.PUBLIC,
        is_published=False,
        published_at=None,
        kind=Resource.Kind.PLAYBOOK,
        attribute=Resource.Attribute.TEACHING,
        topics=[topic],
    )
    add_file(draft)
    return resources


def _client_for(who: str, staff_user) -> Client:
    client = Client()
    if who == "anonymous":
        return client
    if who == "staff":
        client.force_login(staff_user)
        return client
    ecosystem = EcosystemFactory()
    person = make_member(ecosystem)
    if who == "lapsed member":
        make_lapsed(ecosystem)
    else:
        make_in_good_standing(ecosystem)
    client.force_login(person)
    return client


def _listed_titles(response) -> set[str]:
    return {r.title for r in response.context["page_obj"]}


def _facet(response, name) -> dict[str, int]:
    return {f.value: f.count for f in response.context["facets"][name]}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_list_search_and_facet_counts_show_only_what_the_user_may_see(who, library, staff_user):
    client = _client_for(who, staff_user)
    visible = {library[v].title for v in EXPECTED[who]}
    hidden = {r.title for v, r in library.items() if v not in EXPECTED[who]}
    hidden.add("Quokka draft guide")
    n = len(visible)

    for params in ({}, {"q": SECRET_WORD}, {"q": "quokka"}, {"kind": "playbook"}):
        response = client.get(reverse("resources:library"), params)
        assert response.status_code == 200
        assert _listed_titles(response) == visible, params
        assert response.context["page_obj"].paginator.count == n
        html = response.content.decode()
        for title in hidden:
            assert title not in html, (params, title)
        # facet counts are counts of what the user can open, never more
        assert _facet(response, "kind") == {"playbook": n}
        assert _facet(response, "attribute") == {"teaching": n}
        assert _facet(response, "topic") == {"family-engagement": n}

    # searching for a hidden resource's own words finds nothing and counts nothing
    for visibility, resource in library.items():
        if visibility in EXPECTED[who]:
            continue
        response = client.get(reverse("resources:library"), {"q": resource.summary})
        assert _listed_titles(response) == set()
        assert response.context["page_obj"].paginator.count == 0
        assert all(response.context["facets"][name] == [] for name in ("kind", "topic"))
        assert resource.title not in response.content.decode()


@pytest.mark.parametrize("who", list(EXPECTED))
def test_detail_and_download_answer_only_for_visible_resources(who, library, staff_user):
    client = _client_for(who, staff_user)
    for visibility, resource in library.items():
        detail = client.get(resource.get_absolute_url())
        download = client.get(resource.get_download_url())
        version = client.get(
            reverse("resources:version_download", kwargs={"slug": resource.slug, "number": 1})
        )
        resource.refresh_from_db()
        if visibility in EXPECTED[who]:
            assert detail.status_code == 200
            assert resource.title in detail.content.decode()
            assert download.status_code == 200 and version.status_code == 200
            assert b"".join(download.streaming_content).startswith(b"%PDF-")
            assert resource.download_count == 2
        else:
            assert detail.status_code == 404 and download.status_code == 404
            assert version.status_code == 404
            for response in (detail, download, version):
                assert resource.title not in response.content.decode()
            assert resource.download_count == 0


def test_a_hidden_resource_looks_exactly_like_a_missing_one(library, client):
    hidden = client.get(library[V.MEMBERS].get_absolute_url())
    missing = client.get(reverse("resources:detail", kwargs={"slug": "no-such-resource"}))
    assert hidden.status_code == missing.status_code == 404

    # the same page, but for the links back to the address asked for (and CSRF tokens)
    def normalised(response, slug):
        html = response.content.decode().replace(slug, "~")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert normalised(hidden, "quokka-members") == normalised(missing, "no-such-resource")


def test_unpublished_resources_are_a_staff_preview_only(library, client, staff_user):
    url = reverse("resources:detail", kwargs={"slug": "quokka-draft"})
    ecosystem = EcosystemFactory()
    make_in_good_standing(ecosystem)
    client.force_login(make_member(ecosystem))
    assert client.get(url).status_code == 404
    client.force_login(staff_user)
    response = client.get(url)
    assert response.status_code == 200
    assert "Not published" in response.content.decode()


def test_good_standing_of_any_one_ecosystem_opens_members_resources(library, client):
    lapsed, paid = EcosystemFactory(), EcosystemFactory()
    person = make_member(lapsed)
    make_lapsed(lapsed)
    url = library[V.MEMBERS].get_absolute_url()
    client.force_login(person)
    assert client.get(url).status_code == 404
    make_in_good_standing(paid)
    ecosystem_role_set(acting_user=None, ecosystem=paid, user=person, role="member")
    assert client.get(url).status_code == 200


def test_a_lead_loses_members_resources_when_the_ecosystem_lapses(library, client, ecosystem):
    lead = make_lead(ecosystem)
    make_in_good_standing(ecosystem)
    client.force_login(lead)
    url = library[V.MEMBERS].get_absolute_url()
    assert client.get(url).status_code == 200
    # standing is remembered per request only: the next request sees the lapse
    Ecosystem.objects.filter(pk=ecosystem.pk).update(status=Ecosystem.Status.LAPSED)
    assert client.get(url).status_code == 404


def test_good_standing_is_looked_up_once_per_request(ecosystem, member, django_assert_num_queries):
    make_in_good_standing(ecosystem)
    member.refresh_from_db()
    with django_assert_num_queries(1):  # one EXISTS, remembered
        assert user_in_good_standing(member) is True
        assert user_in_good_standing(member) is True
    inactive = make_member(ecosystem, is_active=False)
    assert user_in_good_standing(inactive) is False
