"""我的待办 from 联商: open joint analyses of my organisation with no report yet (one query)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from wulian.consultation.choices import AnalysisState
from wulian.consultation.models import Analysis
from wulian.consultation.policies import manager_org_ids
from wulian.core.access import Actor
from wulian.core.todos import TodoItem, provider

LIMIT = 50


@provider
def consultation_todos(actor: Actor) -> list[TodoItem]:
    own = manager_org_ids(actor)
    if not own:
        return []
    rows = (
        Analysis.objects.filter(state=AnalysisState.OPEN)
        .filter(Q(lead_org_id__in=own) | Q(partner_org_id__in=own))
        .order_by("id")[:LIMIT]
    )
    source = _("联商")
    return [
        TodoItem(
            title=_("联合研判：%(t)s，待出具研判报告") % {"t": a.title},
            url=a.get_absolute_url(),
            source=source,
            due=None,
            status=_("研判中"),
            tone="neutral",
        )
        for a in rows
    ]
