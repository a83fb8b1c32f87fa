"""Reads of the resource library: who sees what, browsing, search and facets.

Visibility is one rule, applied to every read (list, search, facet counts, detail,
download, the dashboard panel):
- public resources: everyone;
- members resources: people who hold a role (lead or member) in at least one ecosystem in
  good standing (members.billing.selectors.good_standing_q, the one good-standing rule), and staff;
- staff resources: staff (active `is_staff` accounts: TIES staff, the stewardship team);
- unpublished resources: staff only (a preview; the library lists published ones only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from members.billing.selectors import ecosystem_in_good_standing, good_standing_q
from members.dashboard import NETWORK, PANEL_CACHE_SECONDS, ecosystem_namespace
from members.models import EcosystemRole
from slecop.cache import versioned

from .models import Resource, ResourceVersion, Topic

Visibility = Resource.Visibility
MAX_QUERY_CHARS = 200
_CACHE_ATTR = "_resources_good_standing"


# --- who may see what -------------------------------------------------------------------------


def is_library_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def user_in_good_standing(user) -> bool:
    """Does `user` hold a role (lead or member) in an ecosystem in good standing today?

    One EXISTS query, remembered on the user object, which Django builds afresh for every
    request: so at most once per request, and never stale across requests."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = (
            EcosystemRole.objects.filter(user=user)
            .filter(good_standing_q(prefix="ecosystem__"))
            .exists()
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def visible_levels(user) -> tuple[str, ...]:
    if is_library_staff(user):
        return (Visibility.PUBLIC, Visibility.MEMBERS, Visibility.STAFF)
    if user_in_good_standing(user):
        return (Visibility.PUBLIC, Visibility.MEMBERS)
    return (Visibility.PUBLIC,)


def visible_resources(user) -> QuerySet[Resource]:
    """Published resources `user` may see. Every list, count and search starts here."""
    return Resource.objects.filter(is_published=True, visibility__in=visible_levels(user))


def can_view_resource(user, resource: Resource) -> bool:
    if is_library_staff(user):
        return True  # including unpublished: staff preview
    return resource.is_published and resource.visibility in visible_levels(user)


def resource_for_user(user, slug: str) -> Resource | None:
    """The resource at `slug` if `user` may see it, else None (the caller answers 404 for
    both, so a hidden resource and a missing one look the same)."""
    resource = (
        Resource.objects.select_related("current_version", "owner")
        .defer("search_vector")
        .filter(slug=slug)
        .first()
    )
    if resource is None or not can_view_resource(user, resource):
        return None
    return resource


def resource_versions(resource: Resource) -> list[ResourceVersion]:
    return list(
        resource.versions.select_related("uploaded_by", "resource").only(
            "resource__slug",
            "number",
            "filename",
            "file_type",
            "size_bytes",
            "note",
            "uploaded_at",
            "uploaded_by__first_name",
            "uploaded_by__last_name",
            "uploaded_by__email",
        )
    )


def related_resources(user, resource: Resource, limit: int = 3) -> list[Resource]:
    """Other visible resources serving the same attribute, newest first."""
    if not resource.attribute:
        return []
    return list(
        visible_resources(user)
        .filter(attribute=resource.attribute)
        .exclude(pk=resource.pk)
        .select_related("current_version")
        .defer("search_vector", "body")
        .order_by("-published_at", "-id")[:limit]
    )


# --- library: search, facets, ordering ----------------------------------------------------


@dataclass(frozen=True)
class LibraryFilters:
    q: str = ""
    kind: str = ""
    topic: str = ""
    attribute: str = ""
    sort: str = ""  # "" (relevance or newest), "title", "deadline"

    @property
    def is_empty(self) -> bool:
        return not (self.q or self.kind or self.topic or self.attribute)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class LibraryResult:
    resources: QuerySet[Resource]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    uses_full_text: bool = False


def _search_query(q: str) -> SearchQuery:
    return SearchQuery(q, search_type="websearch", config="english")


def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


WEBSEARCH_SYNTAX = re.compile(r'"|(?:^|\s)-\S|\s+or\s+', re.IGNORECASE)


def _kinds_named(word: str) -> list[str]:
    """The kinds a search word names ("toolkit", "Toolkits", "playbook", "grant"), in
    English or in the reader's language."""
    word = word.lower()
    names = {word, word.removesuffix("s")} if len(word) > 3 else {word}
    return [
        value
        for value, label in Resource.Kind.choices
        if names & {value, str(label).lower(), *str(label).lower().split()}
    ]


def _word_q(word: str) -> Q:
    """A resource that one search word finds: in its title, summary, body or funder, in
    the name of one of its topics, or naming its kind. (A plural also finds the singular:
    "toolkits" finds "Toolkit".)"""
    stem = word.removesuffix("s") if len(word) > 3 else word
    if uses_postgres_search():  # the GIN index, stemmed
        in_text = Q(search_vector=SearchQuery(word, search_type="plain", config="english"))
    else:
        in_text = (
            Q(title__icontains=stem)
            | Q(summary__icontains=stem)
            | Q(body__icontains=stem)
            | Q(funder__icontains=stem)
        )
    tagged = Exists(
        Topic.objects.filter(resources=OuterRef("pk")).filter(
            Q(name__icontains=stem) | Q(slug__icontains=stem)
        )
    )
    return in_text | tagged | Q(kind__in=_kinds_named(word))


def _apply_search(queryset: QuerySet[Resource], q: str) -> QuerySet[Resource]:
    """Full text on PostgreSQL (ranked, stemmed), icontains elsewhere; on both, every word
    also finds the resources tagged with a topic of that name and those of that kind."""
    if not q:
        return queryset
    words = q.split()[:10]
    every_word = Q()
    for word in words:  # every word, each anywhere (text, topics, kind)
        every_word &= _word_q(word)
    if uses_postgres_search() and WEBSEARCH_SYNTAX.search(q):
        # a phrase, an exclusion or an OR: PostgreSQL's web search syntax, text only
        return queryset.filter(search_vector=_search_query(q))
    return queryset.filter(every_word)


def _apply_facets(queryset, *, kind="", topic="", attribute="") -> QuerySet[Resource]:
    if kind:
        queryset = queryset.filter(kind=kind)
    if attribute:
        queryset = queryset.filter(attribute=attribute)
    if topic:
        queryset = queryset.filter(topics__slug=topic)
    return queryset


def _ordered(queryset: QuerySet[Resource], filters: LibraryFilters) -> QuerySet[Resource]:
    if filters.sort == "title":
        return queryset.order_by("title", "id")
    if filters.sort == "deadline":
        return queryset.order_by(F("deadline").asc(nulls_last=True), "title", "id")
    if filters.q and uses_postgres_search():
        rank = SearchRank(F("search_vector"), _search_query(filters.q))
        return queryset.annotate(rank=rank).order_by("-rank", "-published_at", "-id")
    if filters.q:  # SQLite: title matches first, then summary, then the rest
        rank = Case(
            When(title__icontains=filters.q, then=Value(3)),
            When(summary__icontains=filters.q, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return queryset.annotate(rank=rank).order_by("-rank", "-published_at", "-id")
    return queryset.order_by("-is_featured", "-published_at", "-id")


def _counts(queryset: QuerySet[Resource], column: str) -> dict[str, int]:
    return dict(
        queryset.order_by().values_list(column).annotate(n=Count("id")).values_list(column, "n")
    )


def _choice_facet(choices, counts: dict[str, int], selected: str) -> list[FacetValue]:
    return [
        FacetValue(value, str(label), counts.get(value, 0), value == selected)
        for value, label in choices
        if counts.get(value) or value == selected
    ]


def library_search(*, user, filters: LibraryFilters) -> LibraryResult:
    """Visible, published resources matching `filters`, with facet counts.

    Each facet counts within the other filters (so choosing a kind still shows how many
    resources each other kind has): three grouped queries, whatever the library's size.
    Counts are taken from `visible_resources(user)`, so they never include a resource the
    user could not open."""
    matched = _apply_search(visible_resources(user), filters.q[:MAX_QUERY_CHARS])
    results = _apply_facets(
        matched, kind=filters.kind, topic=filters.topic, attribute=filters.attribute
    )
    kind_counts = _counts(
        _apply_facets(matched, topic=filters.topic, attribute=filters.attribute), "kind"
    )
    attribute_counts = _counts(
        _apply_facets(matched, kind=filters.kind, topic=filters.topic), "attribute"
    )
    topic_base = _apply_facets(matched, kind=filters.kind, attribute=filters.attribute)
    topics = (
        Topic.objects.filter(resources__in=topic_base.values("pk"))
        .annotate(n=Count("resources"))
        .order_by("-n", "name")
    )
    topic_facet = [FacetValue(t.slug, t.name, t.n, t.slug == filters.topic) for t in topics]
    resources = (
        _ordered(results, filters)
        .select_related("current_version")
        .prefetch_related("topics")
        .defer("search_vector", "body", "current_version__sha256", "current_version__note")
    )
    return LibraryResult(
        resources=resources,
        facets={
            "kind": _choice_facet(Resource.Kind.choices, kind_counts, filters.kind),
            "topic": topic_facet,
            "attribute": _choice_facet(
                Resource.Attribute.choices, attribute_counts, filters.attribute
            ),
        },
        uses_full_text=bool(filters.q) and uses_postgres_search(),
    )


def featured_resources(user, limit: int = 3) -> list[Resource]:
    return list(
        visible_resources(user)
        .filter(is_featured=True)
        .select_related("current_version")
        .defer("search_vector", "body")
        .order_by("-published_at", "-id")[:limit]
    )


# --- grants -------------------------------------------------------------------------------


def grants_closing_soon(user, *, days: int | None = None, limit: int = 5) -> list[Resource]:
    """Open grant opportunities `user` may see whose deadline is within `days`."""
    days = settings.RESOURCES_GRANTS_SOON_DAYS if days is None else days
    today = timezone.localdate()
    return list(
        visible_resources(user)
        .filter(
            kind=Resource.Kind.GRANT, deadline__gte=today, deadline__lte=today + timedelta(days)
        )
        .only(
            "title",
            "slug",
            "funder",
            "deadline",
            "amount_min_cents",
            "amount_max_cents",
            "currency",
        )
        .order_by("deadline", "title")[:limit]
    )


def grants_variant(*, ecosystem, user, role: str = "") -> tuple[str, ...]:
    """The visibility levels the viewer may see: the grants panel is the same for every
    viewer with the same ones. A lead or member of this ecosystem, in good standing (its
    standing, kept under its version key), is in good standing: no query; otherwise one,
    remembered for the request."""

    if role in ("lead", "member") and not (is_library_staff(user) or user.is_superuser):
        good = versioned(
            (ecosystem_namespace(ecosystem.pk), NETWORK),
            ("good-standing", ecosystem.pk, timezone.localdate()),
            lambda: ecosystem_in_good_standing(ecosystem),
            timeout=PANEL_CACHE_SECONDS,
        )
        if good:
            return (Visibility.PUBLIC, Visibility.MEMBERS)
    return visible_levels(user)


def grants_panel_context(*, ecosystem, user) -> dict:
    """Context of the "Grants closing soon" panel on My ecosystem (one query, plus the
    good-standing check when the request has not made it yet)."""
    return {
        "ecosystem": ecosystem,
        "grants": grants_closing_soon(user),
        "days": settings.RESOURCES_GRANTS_SOON_DAYS,
    }


def pending_suggestions(user) -> QuerySet[Resource]:
    return Resource.objects.filter(suggested_by=user, is_published=False)
