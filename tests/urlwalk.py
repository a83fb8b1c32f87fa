"""Walk the URL conf: every named route with its converters, for access-matrix tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter, UUIDConverter


@dataclass(frozen=True, eq=False)
class Route:
    name: str  # namespaced, e.g. "members:dashboard"
    converters: dict

    @property
    def kwargs(self) -> set[str]:
        return set(self.converters)

    @property
    def is_ecosystem_scoped(self) -> bool:
        return "ecosystem" in self.converters


def iter_routes(patterns=None, namespace: str = "", converters: dict | None = None):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        conv = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            if ns.startswith(("admin:", "djdt:")):
                continue
            yield from iter_routes(entry.url_patterns, ns, conv)
        elif isinstance(entry, URLPattern) and entry.name:
            yield Route(f"{namespace}{entry.name}", conv)


def fill(route: Route, values: dict) -> str:
    """Reverse `route` with `values` for known kwargs and harmless defaults otherwise."""
    kwargs = {}
    for name, converter in route.converters.items():
        if name in values:
            kwargs[name] = values[name]
        elif isinstance(converter, IntConverter):
            kwargs[name] = 999_999
        elif isinstance(converter, UUIDConverter):
            kwargs[name] = uuid.uuid4()
        elif isinstance(converter, SlugConverter):
            kwargs[name] = "no-such-thing"
        else:
            kwargs[name] = "no-such-thing"
    return reverse(route.name, kwargs=kwargs)


def ecosystem_routes() -> list[Route]:
    unique = {r.name: r for r in iter_routes() if r.is_ecosystem_scoped}
    return [unique[name] for name in sorted(unique)]
