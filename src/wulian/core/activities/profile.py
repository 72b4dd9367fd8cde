"""Meetings' action items in a department's supervision profile (wulian.reports.profile): the
items a department owns that fall due in a year, done (核验通过) and overdue — the action-item
list's own definitions (`ActionItemFilter`), over the items the viewer sees."""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.activities.choices import ActionState
from wulian.core.activities.models import ActionItem
from wulian.core.measures import Measure

LINK = "action_items"
TITLE = _("会议议定事项")
ORDER = 80


def measures() -> tuple[Measure, ...]:
    return (
        Measure("total", _("承担议定事项"), better=0),
        Measure("done", _("已办结"), of="total"),
        Measure("overdue", _("逾期未落实"), of="total", better=-1),
    )


def counts(
    *, actor: Actor, year: int, organisation_ids: Collection[int] | None
) -> dict[int, dict[str, int | None]] | None:
    if not access.can(actor, "activities.actionitem.view"):
        return None
    qs = access.scope(actor, "activities.actionitem.view", ActionItem.objects.all())
    qs = qs.filter(due_at__year=year).order_by()
    if organisation_ids is not None:
        qs = qs.filter(owner_org_id__in=list(organisation_ids))
    rows = qs.values("owner_org_id").annotate(
        total=Count("pk"),
        done=Count("pk", filter=Q(state=ActionState.DONE)),
        overdue=Count("pk", filter=Q(state=ActionState.OPEN, due_at__lt=timezone.now())),
    )
    return {r.pop("owner_org_id"): r for r in rows}


def url(key: str, *, organisation_id: int | None, year: int) -> str | None:
    params: dict[str, object] = {"year": year}
    if organisation_id is not None:  # None: every organisation (ADR 0031)
        params["owner"] = organisation_id
    if key == "done":
        params["state"] = ActionState.DONE
    elif key == "overdue":
        params["overdue"] = "true"
    return f"{reverse('activities:action_list')}?{urlencode(params)}"
