"""The findings panel in the activity page's "findings" slot (wulian.core.activities.panels)."""

from __future__ import annotations

from typing import Any

from wulian.core import access


def _context(actor: Any, activity: Any) -> dict[str, Any] | None:
    if not access.can(actor, "rectification.finding.view"):
        return None
    return {"record": activity}


def register_activity_panel() -> None:
    from wulian.core.activities import panels

    panels.register(
        panels.DetailPanel(
            slot="findings", template="rectification/findings_panel.html", context=_context
        )
    )
