"""我的待办 from clues: for the CDI clue officers, clues to receive, to dispose of and to give
feedback on; for the sending office, its drafts not yet transferred. Three queries; nothing for
anyone else (not even a count)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wulian.core.access import Actor
from wulian.core.clues.choices import DEADLINE_TRANSFER, ClueState
from wulian.core.clues.models import CONTENT_FIELDS, Clue
from wulian.core.clues.policies import clue_officer_org_ids, sender_org_ids
from wulian.core.deadlines.choices import LIVE_STATES
from wulian.core.deadlines.models import Deadline
from wulian.core.todos import TodoItem, provider

LIMIT = 200
_CDI_TURN = {
    ClueState.TRANSFERRED: gettext_lazy("签收问题线索 %(n)s"),
    ClueState.RECEIVED: gettext_lazy("处置问题线索 %(n)s"),
    ClueState.PROPOSED: gettext_lazy("审批线索处置意见 %(n)s"),
    ClueState.DISPOSED: gettext_lazy("反馈线索处置情况 %(n)s"),
    ClueState.CONCLUDED: gettext_lazy("反馈线索办理结果 %(n)s"),
}


@provider
def clue_todos(actor: Actor) -> list[TodoItem]:
    items: list[TodoItem] = []
    source = _("问题线索")
    officers = clue_officer_org_ids(actor)
    if officers:
        from wulian.core.clues.services import clue_statuses

        rows = list(
            Clue.objects.filter(receiving_org_id__in=officers, state__in=list(_CDI_TURN))
            .defer(*CONTENT_FIELDS)  # the status view reads the feedback (not content)
            .select_related("sending_org", "receiving_org")
            .order_by("id")[:LIMIT]
        )
        for clue, status in zip(rows, clue_statuses(actor=actor, clues=rows), strict=True):
            template = _CDI_TURN[clue.state]
            due = (
                status.receipt_due
                if clue.state == ClueState.TRANSFERRED
                else status.disposition_due
                if clue.state in (ClueState.RECEIVED, ClueState.PROPOSED)
                else None
            )
            items.append(
                TodoItem(
                    title=str(template) % {"n": clue.number},
                    url=clue.get_absolute_url(),
                    source=source,
                    due=due,
                    status=clue.get_state_display(),
                    tone="warning",
                )
            )
    senders = sender_org_ids(actor)
    if senders:
        drafts = list(
            Clue.objects.filter(sending_org_id__in=senders, state=ClueState.DRAFT)
            .only("id", "state", "created_at")
            .order_by("id")[:LIMIT]
        )
        # The transfer limit of each draft (where the day found is given): one query.
        dues = (
            dict(
                Deadline.objects.filter(
                    content_type=ContentType.objects.get_for_model(Clue),
                    object_id__in=[c.pk for c in drafts],
                    kind=DEADLINE_TRANSFER,
                    state__in=sorted(LIVE_STATES),
                ).values_list("object_id", "due_at")
            )
            if drafts
            else {}
        )
        for clue in drafts:
            items.append(
                TodoItem(
                    title=_("移送问题线索 %(n)s（草稿）") % {"n": clue.number},
                    url=clue.get_absolute_url(),
                    source=source,
                    due=dues.get(clue.pk),
                    status=clue.get_state_display(),
                )
            )
    return items
