"""Panels of the "My ecosystem" dashboard.

Each app registers its panel in its AppConfig.ready(), so the members app does not need
to know about dues, convenings or elections:

    register_panel(Panel(key="dues", title="Membership dues", order=10,
                         template="members/panels/dues.html", context=dues_panel_context))

`context(ecosystem=..., user=...)` returns the template context of the panel and must run
a constant number of queries. It must also be picklable (plain values and model
instances, no forms): contexts are cached. The template sees `ctx`, `ecosystem`, `user`
and `can_act` only — it is rendered without the request, and its HTML is cached with the
context, so it holds links, never a POST form (no CSRF token; a test checks).

Caching. Building the nine contexts took ~40 ms a page at 10,000 ecosystems (mostly the
ORM compiling their queries), rendering them a few more. Each context and its HTML are
kept for PANEL_CACHE_SECONDS per panel, ecosystem, viewer (and whether they may act),
language and day, under two version tokens (slecop.cache):
`ecosystem:<id>`, bumped by any save or delete of a row of a project app that belongs to
that ecosystem (an `ecosystem` foreign key, or the ecosystem itself), and `panels`,
bumped by any other such write (an election's phase, a convening, a payment line…) and by
the bulk writers. So a lead who pays, votes or registers sees the change on the next
page; what merely passes with time (a deadline) shows within PANEL_CACHE_SECONDS.

The page keeps its whole body (panels, profile, people) as one fragment under the same
key parts and tokens (`fragment_key`), for as long as its oldest panel had left
(`seconds_left`): a warm view reads one cache entry instead of unpickling nine panel
contexts it does not show.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import render_to_string
from django.utils import timezone

from slecop.cache import Stamped, bump, cache_key, versions
from slecop.project import project_app_labels

PANEL_CACHE_SECONDS = 60
GLOBAL = "panels"
# Writes that no panel shows: an audit entry accompanies a change that bumps by itself.
NOT_SHOWN = {"members.AuditEntry"}


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: Callable[..., dict[str, Any]] = field(default=lambda **_: {})
    order: int = 100


_panels: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    """Register (or replace, by key) a dashboard panel."""
    _panels[panel.key] = panel


def ecosystem_namespace(ecosystem_id: int) -> str:
    return f"ecosystem:{ecosystem_id}"


def panel_versions(ecosystem, *namespaces: str) -> tuple[str, ...]:
    """The tokens that panels and `fragment_key` fragments of `ecosystem` are kept under,
    and those of `namespaces`, in one round trip (a request reads each from the cache
    once: slecop.cache.RequestTokensMiddleware)."""
    return versions(GLOBAL, ecosystem_namespace(ecosystem.pk), *namespaces)


def fragment_key(name: str, ecosystem, *parts, namespaces: tuple[str, ...] = ()) -> Stamped:
    """A `{% fragment_cache %}` key for a part of an ecosystem's pages that changes with
    the same writes as its panels (and with the writes that bump `namespaces`): the
    tokens are read with the fragment, in one round trip."""
    return Stamped(
        cache_key(name, (ecosystem.pk, *parts)),
        (GLOBAL, ecosystem_namespace(ecosystem.pk), *namespaces),
    )


def render_panels(*, ecosystem, user, can_act: bool = False) -> list[dict[str, Any]]:
    """Each panel with its context and its HTML (the template rendered with `ctx`,
    `ecosystem`, `user` and `can_act`), from the cache where nothing has changed."""
    panels = sorted(_panels.values(), key=lambda p: (p.order, p.key))
    tokens = panel_versions(ecosystem)
    day = timezone.localdate()
    keys = {
        p.key: cache_key("panel", (p.key, ecosystem.pk, user.pk, can_act, day, *tokens))
        for p in panels
    }
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
            item = {"context": context, "html": html, "built": time.time()}
            fresh[keys[panel.key]] = item
        result.append({"panel": panel, **item})
    if fresh:
        cache.set_many(fresh, PANEL_CACHE_SECONDS)
    return result


def seconds_left(panels: list[dict[str, Any]]) -> int:
    """How long a page drawn from `panels` may be kept: until its oldest panel would have
    expired, so a page never shows a panel older than PANEL_CACHE_SECONDS."""
    oldest = min((item["built"] for item in panels), default=time.time())
    return max(1, int(PANEL_CACHE_SECONDS - (time.time() - oldest)))


def watch_panel_writes() -> None:
    """Connect the bumps described in the module docstring (MembersConfig.ready())."""
    from .models import Ecosystem

    labels = set(project_app_labels())

    def receiver(sender, instance=None, **_kwargs) -> None:
        meta = sender._meta
        if meta.app_label not in labels or meta.label in NOT_SHOWN:
            return
        if isinstance(instance, Ecosystem):
            ecosystem_id = instance.pk
        else:
            ecosystem_id = getattr(instance, "ecosystem_id", None)
        bump(ecosystem_namespace(ecosystem_id) if ecosystem_id else GLOBAL)

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(receiver, weak=False, dispatch_uid=f"members.dashboard:{signal!r}")
