"""我的待办 of the special inquiries: for the congress side's desks, the inquiries waiting on
them — one being prepared (questions, the meeting), one held whose 审议意见 is still to be sent,
one whose 回头看 date has come — and for an answering unit, the questions put to it that still
have no answer on record. A fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import todos
from wulian.core.access import Actor
from wulian.inquiries.choices import InquiryState
from wulian.inquiries.models import Inquiry, Question
from wulian.inquiries.policies import congress_desk

LIMIT = 20


@todos.provider
def inquiry_todos(actor: Actor) -> list[todos.TodoItem]:
    if not actor.is_authenticated:
        return []
    items: list[todos.TodoItem] = []
    source = _("专题询问")
    if congress_desk(actor):
        soon = timezone.now() + timedelta(days=30)
        waiting = (
            Inquiry.objects.filter(
                Q(state__in=[InquiryState.PREPARING, InquiryState.HELD])
                | Q(state=InquiryState.OPINION_SENT, look_back__starts_at__lte=soon)
            )
            .select_related("look_back")
            .order_by("-year", "pk")[:LIMIT]
        )
        for i in waiting:
            if i.state == InquiryState.PREPARING:
                title, due = _("筹备专题询问：%(t)s") % {"t": i.title}, None
            elif i.state == InquiryState.HELD:
                title, due = _("起草并送达审议意见：%(t)s") % {"t": i.title}, None
            else:
                title = _("开展回头看：%(t)s") % {"t": i.title}
                due = i.look_back.starts_at if i.look_back else None
            items.append(
                todos.TodoItem(title=title, url=i.get_absolute_url(), source=source, due=due)
            )
    units = actor.office_org_ids()
    if units:
        for q in (
            Question.objects.filter(
                unit_id__in=units, answer="", inquiry__state=InquiryState.PREPARING
            )
            .select_related("inquiry")
            .order_by("inquiry__held_on", "position")[:LIMIT]
        ):
            items.append(
                todos.TodoItem(
                    title=_("准备应询：%(t)s（第%(n)d问）")
                    % {"t": q.inquiry.title, "n": q.position},
                    url=q.inquiry.get_absolute_url(),
                    source=source,
                )
            )
    return items
