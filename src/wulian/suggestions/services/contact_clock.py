"""The 48-hour contact clock (联系代表时限) starts at the delivery of the assignment.

Source: the Huangshi article (《探索“五联”工作机制》, 楚天主人 2024 No. 9, reference [CN1]):
"要求承办单位在收到代表建议48小时内与代表取得联系". The unit "receives" the suggestion when the
joint assignment is delivered to it on the platform (交办送达), not when it chooses to press
签收: a clock started at 签收 let a unit push it out by receiving late (issue 14). Hours are
natural hours from the delivery (ADR 0005; 民法典 §201 as quoted in the reference notes).
The length is `SUGGESTION_CONTACT_HOURS` (default 48)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from wulian.core.access import Actor
from wulian.core.deadlines.models import Deadline
from wulian.core.deadlines.rules import Rule
from wulian.core.models import Organisation
from wulian.suggestions.choices import DEADLINE_CONTACT
from wulian.suggestions.models import Suggestion
from wulian.suggestions.services._common import _cancel, _open, _oversight_orgs, _title


def open_at_delivery(
    actor: Actor,
    s: Suggestion,
    *,
    lead_unit: Organisation,
    delivered_at: datetime,
    oversight: list[Organisation] | None = None,
) -> Deadline:
    """Open the contact clock on the suggestion when its assignment is delivered to the lead
    unit (inside the joint assignment's transaction). The caller stores `due_at` on the
    suggestion (`contact_due_at`)."""
    return _open(
        actor,
        s,
        kind=DEADLINE_CONTACT,
        title=(_("联系领衔代表 %(t)s") % {"t": _title(s)})[:200],
        rule=Rule.hours(settings.SUGGESTION_CONTACT_HOURS),
        start=delivered_at,
        responsible_org=lead_unit,
        assigner_org=Organisation.objects.get(pk=s.office_id),
        escalate_to=_oversight_orgs() if oversight is None else oversight,
    )


def stop_at_send_back(actor: Actor, s: Suggestion) -> None:
    """The lead unit sent the assignment back: its contact clock ends with it (the next lead
    unit's starts at the new delivery)."""
    _cancel(actor, s, DEADLINE_CONTACT, _("主办单位退回，重新交办"))
