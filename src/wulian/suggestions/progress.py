"""Where a suggestion stands in the steps deputies know from the national platforms (提交 → 审查
→ 交办 → 签收 → 联系 → 答复 → 评价), the current step's deadline, and what happens next, to whom
and by when — read from the suggestion as it is. One reading for the page's step bar
(`suggestion_ui.suggestion_step_bar`) and for the message after each step (`then` on the
declared steps, steps.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext, pgettext_lazy

from wulian.core import punctuation
from wulian.core.deadlines.models import Deadline
from wulian.core.templatetags.ui import when_text
from wulian.suggestions.choices import (
    ACTIVE_ASSIGNMENT,
    DEADLINE_ASSIGN,
    DEADLINE_VERDICT,
    AssignmentRole,
    SuggestionStatus,
)

S = SuggestionStatus
# The step bar's names (a context of their own: "签收" is "Receive" here, not the verb's
# other translations elsewhere).
STEPS = (
    pgettext_lazy("suggestion step", "提交"),
    pgettext_lazy("suggestion step", "审查"),
    pgettext_lazy("suggestion step", "交办"),
    pgettext_lazy("suggestion step", "签收"),
    pgettext_lazy("suggestion step", "联系"),
    pgettext_lazy("suggestion step", "答复"),
    pgettext_lazy("suggestion step", "评价"),
)
SUBMIT, REVIEW, ASSIGN, RECEIVE, CONTACT, REPLY, VERDICT = range(7)
DONE = len(STEPS)  # every step taken: the bar shows them all done


@dataclass(frozen=True)
class Progress:
    current: int  # the index in STEPS of the step waited for (DONE: none is)
    due_at: datetime | None = None  # until when
    ended: str = ""  # handling ended there (不予立案, 已撤回)
    next_text: str = ""  # what happens next, to whom, by when


def _reached(s: Any) -> int:
    """The step a suggestion had reached, from its dates (a withdrawn suggestion)."""
    if s.replied_at is not None:
        return VERDICT
    if s.first_contact_at is not None:
        return REPLY
    if s.received_at is not None:
        return CONTACT
    if s.assigned_at is not None:
        return RECEIVE
    if s.reviewed_at is not None:
        return ASSIGN
    return REVIEW


def _live(deadlines: list[Deadline], kind: str) -> Deadline | None:
    return next((d for d in reversed(deadlines) if d.kind == kind and d.is_live), None)


def _by(at: datetime | None) -> str:
    return gettext("（截止%(when)s）") % {"when": when_text(at)} if at else ""


def of(
    s: Any, *, deadlines: list[Deadline] | None = None, assignments: list[Any] | None = None
) -> Progress:
    """Where `s` stands. `deadlines` (the suggestion's) and `assignments` as the page has read
    them; read here otherwise."""
    from wulian.core import records

    if deadlines is None:
        deadlines = list(Deadline.objects.filter(**records.reference(s)).order_by("start", "id"))
    if assignments is None:
        assignments = list(s.assignments.select_related("unit"))
    lead_name = s.lead_unit.name if s.lead_unit_id else ""
    deputy = s.lead_deputy.name
    if s.status == S.SUBMITTED:
        return Progress(REVIEW, next_text=gettext("下一步：人大代表工委审查，结果将通知代表。"))
    if s.status == S.NOT_ACCEPTED:
        return Progress(REVIEW, ended=gettext("不予立案"))
    if s.status == S.WITHDRAWN:
        return Progress(_reached(s), ended=gettext("已撤回"))
    if s.status in (S.ACCEPTED, S.SENT_BACK):
        d = _live(deadlines, DEADLINE_ASSIGN)
        due = d.due_at if d else None
        return Progress(
            ASSIGN,
            due,
            next_text=gettext("下一步：人大代表工委和政府督查室联合交办%(by)s。")
            % {"by": _by(due)},
        )
    if s.status == S.ASSIGNED:
        lead = next(
            (
                a
                for a in assignments
                if a.role == AssignmentRole.LEAD and a.status in ACTIVE_ASSIGNMENT
            ),
            None,
        )
        due = lead.respond_by if lead else None
        return Progress(
            RECEIVE,
            due,
            next_text=gettext("下一步：主办单位%(unit)s签收或退回%(by)s。")
            % {"unit": lead.unit.name if lead else lead_name, "by": _by(due)},
        )
    if s.status == S.HANDLING and s.first_contact_at is None:
        return Progress(
            CONTACT,
            s.contact_due_at,
            next_text=gettext("请在%(h)d小时内联系领衔代表%(deputy)s%(by)s。")
            % {
                "h": settings.SUGGESTION_CONTACT_HOURS,
                "deputy": deputy,
                "by": _by(s.contact_due_at),
            },
        )
    if s.status in (S.HANDLING, S.REOPENED):
        text = (
            gettext("下一步：主办单位%(unit)s重新办理并答复代表%(by)s。")
            if s.status == S.REOPENED
            else gettext("下一步：主办单位%(unit)s答复代表%(by)s。")
        ) % {"unit": lead_name, "by": _by(s.reply_due_at)}
        return Progress(REPLY, s.reply_due_at, next_text=text)
    if s.status == S.ANSWERED:
        d = _live(deadlines, DEADLINE_VERDICT)
        due = d.due_at if d else None
        return Progress(
            VERDICT,
            due,
            next_text=gettext("下一步：领衔代表%(deputy)s评价答复、反馈征询意见表%(by)s。")
            % {"deputy": deputy, "by": _by(due)},
        )
    return Progress(DONE, next_text=gettext("建议已办结。"))


def _awaited_text(s: Any) -> str:
    """The co-units' opinions the lead unit still waits for, each with its time limit."""
    from wulian.suggestions.services.co_opinions import awaited_opinions

    waiting = [w for w in awaited_opinions(s) if not w.lapsed]
    if not waiting:
        return ""
    return gettext("答复前须收到会办意见：%(units)s。") % {
        "units": punctuation.join(f"{w.unit.name}{_by(w.due_at)}" for w in waiting)
    }


def next_text(s: Any) -> str:
    """What happens next (the message after a step): with, before the reply, the co-units'
    opinions still awaited."""
    p = of(s)
    return p.next_text + (_awaited_text(s) if p.current == REPLY else "")
