"""`{% include "clues/clue_status_panel.html" with record=x %}` — on a source record's page, the
clues that came from it, as far as the person may follow them (status only: number, state,
dates, disposition kind — never the content), and the link to draft one. Shows nothing at all
to anyone who may not see clues. Two queries and one audit event (`clues.clue.listed`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from wulian.core import access, records
from wulian.core.clues import selectors, services

register = template.Library()


@register.inclusion_tag("clues/clue_status_panel_body.html", takes_context=True)
def clue_status_panel(context: template.Context, record: Any) -> dict[str, Any]:
    request = context.get("request")
    actor = access.actor_for(getattr(request, "user", None))
    if record is None or not access.can(actor, "clues.clue.view_status"):
        return {"visible": False}
    clues = selectors.clues_for_record(actor=actor, record=record)
    services.clues_listed(actor=actor, clue_ids=[c.pk for c in clues], via="panel")
    can_draft = access.can(actor, "clues.clue.create") and records.can_view(actor, record)
    draft_url = ""
    if can_draft:
        draft_url = (
            reverse("clues:clue_create")
            + "?"
            + urlencode({"source": f"{records.record_label(record)}:{record.pk}"})
        )
    return {
        "visible": bool(clues) or can_draft,
        "statuses": services.clue_statuses(actor=actor, clues=clues),
        "draft_url": draft_url,
    }
