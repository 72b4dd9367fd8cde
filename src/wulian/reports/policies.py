"""Who may open the reports. Opening a profile or the ranking is open to whoever may see
organisations; what each section counts is decided by that link's own rules (each provider
counts over its own scope and leaves out a link the person may not see at all)."""

from __future__ import annotations

from typing import Any

from wulian.core import access
from wulian.core.access import Actor, rule
from wulian.core.choices import CDI_SIDE, CONGRESS_SIDE


@rule(
    "reports.profile.view", describe="whoever may see organisations; each link counts its own scope"
)
def _profile(actor: Actor, obj: Any) -> bool:
    return access.can(actor, "core.organisation.view", obj)


@rule("reports.annual.view", describe="desks of the congress side and of the CDI side")
def _annual(actor: Actor, obj: Any) -> bool:
    return bool(actor.office_org_ids(CONGRESS_SIDE | CDI_SIDE))


@rule(
    "reports.dashboard.view",
    describe="a desk seat in the congress side, the CDI side, the government or its "
    "supervision office, or a department: the dashboards of those seats (ADR 0031)",
)
def _dashboard(actor: Actor, obj: Any) -> bool:
    from wulian.reports.dashboards import roles_for

    keys = [r.key for r in roles_for(actor)]
    return bool(keys) if obj is None else obj in keys
