"""Panels of the "My ecosystem" dashboard, and the per-ecosystem version key that the
ecosystem's cached pages (dashboard panels, invoice, convening registrations) are kept
under.

Each app registers its panel in its AppConfig.ready(), so the members app does not need
to know about dues, convenings or elections:

    register_panel(Panel(key="dues", title="Membership dues", order=10,
                         template="members/panels/dues.html", context=dues_panel_context))

`context(ecosystem=..., user=...)` returns the template context of the panel and must run
a constant number of queries. The template sees `ctx`, `ecosystem`, `user` and `can_act`
only — it is rendered without the request, so it holds links, never a POST form (no CSRF
token; a test checks).

Caching. A panel is
kept, context and HTML, per panel, ecosystem, viewer role (lead, member, staff — never
per person), language and day, for PANEL_CACHE_SECONDS, under two version keys
(slecop.cache): `ecosystem:<id>` (`ecosystem_namespace`), bumped when a row the
ecosystem's pages show changes (`watch_ecosystem_rows`: the rows of the models listed
there, each naming its ecosystem; admin saves and deletes go through the same signals),
and the panel's own `namespaces` for network-wide rows (a convening's seats, the year's
dues settings), bumped by the services and per-model receivers of those rows. A panel
that also shows something of the viewer (two-factor sign-in, whether they cast the
ballot, the surveys waiting for them, the grants they may see) names it as its
`variant`: a small value computed on every view (one query at most), part of the key, so
the panel is shared by every viewer with the same value — never kept per person.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils import timezone

from slecop.cache import bump, cache_key, versions

PANEL_CACHE_SECONDS = 60
# Network-wide rows that several panels show, bumped by the services that write them in
# bulk (opening a year's invoices, renewals, an election's electorate) and by per-model
# receivers (members.apps). Never by a sign-in or a ballot.
NETWORK = "panels"


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: Callable[..., dict[str, Any]] = field(default=lambda **_: {})
    order: int = 100
    # version keys (besides the ecosystem's) of the network-wide rows the panel shows
    namespaces: tuple[str, ...] = (NETWORK,)
    # what, of the person viewing, the context also depends on (their two-factor sign-in,
    # the surveys waiting for them…), as a small hashable value computed on every view:
    # the panel is then kept per value too, shared by everyone with the same one
    variant: Callable[..., Hashable] | None = None


_panels: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    """Register (or replace, by key) a dashboard panel."""
    _panels[panel.key] = panel


def ecosystem_namespace(ecosystem_id: int) -> str:
    return f"ecosystem:{ecosystem_id}"


def bump_ecosystem(*ecosystem_ids: int) -> None:
    """The ecosystems' cached pages are stale (a service or the admin changed their rows)."""
    ids = {pk for pk in ecosystem_ids if pk}
    if ids:
        bump(*(ecosystem_namespace(pk) for pk in ids))


def viewer_role(access) -> str:
    """The role a page is cached for: "lead" (may act), "member" (views through a role) or
    "staff" (views through the staff permission). Never the person."""
    if access.can_act:
        return "lead"
    return "member" if access.role else "staff"


def render_panels(*, ecosystem, user, can_act: bool = False, role: str = "") -> list[dict]:
    """Each panel with its context and its HTML (the template rendered with `ctx`,
    `ecosystem`, `user` and `can_act`), from the cache where nothing has changed: one
    round trip for the version keys, one for the panels, and each panel's `variant`."""
    role = role or ("lead" if can_act else "member")
    panels = sorted(_panels.values(), key=lambda p: (p.order, p.key))
    names = list(dict.fromkeys(ns for p in panels for ns in p.namespaces))
    own, *others = versions(ecosystem_namespace(ecosystem.pk), *names)
    tokens = dict(zip(names, others, strict=True))
    day = timezone.localdate()
    keys = {}
    for p in panels:
        variant = p.variant(ecosystem=ecosystem, user=user, role=role) if p.variant else None
        parts = (p.key, ecosystem.pk, role, day, own, *(tokens[ns] for ns in p.namespaces))
        keys[p.key] = cache_key("panel", (*parts, variant))
    cached = cache.get_many(list(keys.values()))
    fresh = {}
    result = []
    for panel in panels:
        item = cached.get(keys[panel.key])
        if item is None:
            context = {**panel.context(ecosystem=ecosystem, user=user)}
            html = render_to_string(
                panel.template,
                {"ctx": context, "ecosystem": ecosystem, "user": user, "can_act": can_act},
            )
            item = {"context": context, "html": html}
            fresh[keys[panel.key]] = item
        result.append({"panel": panel, **item})
    if fresh:
        cache.set_many(fresh, PANEL_CACHE_SECONDS)
    return result


def watch_ecosystem_rows(*models_and_paths: tuple[type, Callable[[Any], int | None]]) -> None:
    """Bump an ecosystem's version key when a row of one of these models that belongs to
    it is saved or deleted: `(model, ecosystem_of)` pairs, `ecosystem_of(row)` naming the
    row's ecosystem id. Only the models the ecosystem's cached pages show (members.apps),
    never every model."""
    for model, ecosystem_of in models_and_paths:

        def receiver(sender, instance=None, _of=ecosystem_of, **_kwargs) -> None:
            if instance is not None:
                bump_ecosystem(_of(instance))

        uid = f"members.dashboard:{model._meta.label}"
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
