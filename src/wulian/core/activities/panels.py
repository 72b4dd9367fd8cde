"""Panels that other apps add to the activity page, without editing it.

The detail page has named slots; an app registers a panel for a slot in its AppConfig.ready():

    from wulian.core.activities import panels

    panels.register(panels.DetailPanel(
        slot="findings",
        template="rectification/activity_findings.html",
        context=lambda actor, activity: {"findings": findings_raised_at(actor, activity)},
    ))

`context(actor, activity)` returns the template's context, or None to show nothing (for
instance when the actor may not see findings). It must use a constant number of queries.
Slots: `findings` — the findings an activity raised (发现的问题), filled by the
findings/rectification app (`wulian.core.rectification`). Until a panel is registered the slot
renders nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

SLOTS = ("findings",)


@dataclass(frozen=True)
class DetailPanel:
    slot: str
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]
    order: int = 100


_panels: list[DetailPanel] = []


def register(panel: DetailPanel) -> DetailPanel:
    if panel.slot not in SLOTS:
        raise ValueError(f"unknown activity page slot {panel.slot!r}; slots: {SLOTS}")
    if panel not in _panels:
        _panels.append(panel)
    return panel


def registered(slot: str) -> list[DetailPanel]:
    return sorted((p for p in _panels if p.slot == slot), key=lambda p: p.order)


def render_slot(slot: str, *, request: HttpRequest, actor: Any, activity: Any) -> list[SafeString]:
    """Each registered panel of the slot rendered to HTML (panels with no context skipped)."""
    out = []
    for panel in registered(slot):
        context = panel.context(actor, activity)
        if context is None:
            continue
        out.append(
            render_to_string(panel.template, {**context, "activity": activity}, request=request)
        )
    return out
