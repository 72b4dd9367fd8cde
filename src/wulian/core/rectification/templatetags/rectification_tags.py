"""`{% include "rectification/findings_panel.html" with record=x %}` — the findings raised on a
record (发现的问题) with the state of each rectification, and the link to raise one. Any record
page embeds it; it shows only what the signed-in person may see (two queries)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from wulian.core import access, records
from wulian.core.rectification import selectors

register = template.Library()


@register.inclusion_tag("rectification/findings_panel_body.html", takes_context=True)
def findings_panel(context: template.Context, record: Any) -> dict[str, Any]:
    request = context.get("request")
    actor = access.actor_for(getattr(request, "user", None))
    if record is None or not access.can(actor, "rectification.finding.view"):
        return {"visible": False}
    findings = selectors.findings_for_record(actor=actor, record=record)
    can_raise = access.can(actor, "rectification.finding.raise", record)
    raise_url = ""
    if can_raise:
        here = request.get_full_path() if request is not None else ""
        raise_url = reverse(
            "rectification:finding_raise", args=[records.record_label(record), record.pk]
        ) + ("?" + urlencode({"next": here}) if here else "")
    return {
        "visible": bool(findings) or can_raise,
        "findings": findings,
        "can_raise": can_raise,
        "raise_url": raise_url,
    }
