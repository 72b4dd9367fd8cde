"""我的待办 from rectification: commitments and progress due from my unit, and verifications
waiting on my organisation. Two queries, whatever the number of items.

A unit's step that has a live deadline is already on the list through the deadlines app's
provider (same wording, with the time left); it is not listed twice. Verifications have no
deadline and always come from here."""

from __future__ import annotations

from django.utils.translation import gettext as _

from wulian.core.access import Actor
from wulian.core.rectification.choices import RAISER_TURN, UNIT_TURN, RectificationState
from wulian.core.rectification.models import Rectification
from wulian.core.rectification.policies import manager_org_ids
from wulian.core.rectification.selectors import with_deadline
from wulian.core.todos import TodoItem, provider

LIMIT = 200


@provider
def rectification_todos(actor: Actor) -> list[TodoItem]:
    items: list[TodoItem] = []
    offices = actor.office_org_ids()
    source = _("整改")
    if offices:
        mine = (
            with_deadline(
                Rectification.objects.filter(responsible_org_id__in=offices, state__in=UNIT_TURN)
                .select_related("finding")
                .only("id", "state", "finding__title")
            )
            .filter(due_at__isnull=True)
            .order_by("id")[:LIMIT]
        )
        for rect in mine:
            if rect.state == RectificationState.IN_PROGRESS:
                title = _("报送整改进展或提交核验：%(t)s")
            elif rect.state == RectificationState.REOPENED:
                title = _("重新制定整改措施：%(t)s")
            else:
                title = _("制定整改措施：%(t)s")
            items.append(
                TodoItem(
                    title=title % {"t": rect.finding.title},
                    url=rect.get_absolute_url(),
                    source=source,
                    status=rect.get_state_display(),
                )
            )
    verifiers = manager_org_ids(actor)
    if verifiers:
        waiting = (
            Rectification.objects.filter(raising_org_id__in=verifiers, state__in=RAISER_TURN)
            .select_related("finding", "responsible_org")
            .only(
                "id",
                "state",
                "submitted_at",
                "finding__title",
                "responsible_org__name",
                "responsible_org__short_name",
            )
            .order_by("submitted_at", "id")[:LIMIT]
        )
        for rect in waiting:
            items.append(
                TodoItem(
                    title=_("核验整改：%(t)s（%(unit)s）")
                    % {"t": rect.finding.title, "unit": rect.responsible_org.display_name},
                    url=rect.get_absolute_url(),
                    source=source,
                    status=rect.get_state_display(),
                    tone="warning",
                )
            )
    return items
