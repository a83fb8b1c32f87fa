"""Panels of the "My ecosystem" dashboard.

Each app registers its panel in its AppConfig.ready(), so the members app does not need
to know about dues, convenings or elections:

    register_panel(Panel(key="dues", title="Membership dues", order=10,
                         template="members/panels/dues.html", context=dues_panel_context))

`context(ecosystem=..., user=...)` returns the template context of the panel and must run
a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


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


def render_panels(*, ecosystem, user) -> list[dict[str, Any]]:
    return [
        {"panel": panel, "context": {**panel.context(ecosystem=ecosystem, user=user)}}
        for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key))
    ]
