"""The project's supervision set-up: its milestones (节点), and the supervision orders (督办)
on a lagging project with their escalation to the CDI."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit
from wulian.core.access import Actor
from wulian.core.choices import OrgKind
from wulian.core.errors import TransitionNotAllowed
from wulian.core.models import Organisation
from wulian.core.notifications import outbox
from wulian.core.selectors import users_holding
from wulian.livelihood.choices import CycleState, GroupRole, OrderState
from wulian.livelihood.models import Milestone, Order, Project
from wulian.livelihood.services.common import bump, check_version, fail

MAX_MILESTONES = 24


def _project(project_id: int) -> Project:
    project = Project.objects.select_for_update().filter(pk=project_id).first()
    if project is None:
        raise fail(_("该民生实事项目不存在。"))
    return project


def _date(text: str, number: int) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise fail(
            _("第 %(n)d 行的日期“%(d)s”无法识别，请写成 2023-06-30。") % {"n": number, "d": text},
            "milestones",
        ) from None


def parse_milestones(text: str) -> list[tuple[str, date, date | None]]:
    """One milestone a line: 节点名称|计划完成日期|实际完成日期 (the last may be left out)."""
    today = timezone.localdate()
    out: list[tuple[str, date, date | None]] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) < 2 or not parts[0]:
            raise fail(
                _("第 %(n)d 行应为“节点名称|计划完成日期|实际完成日期”。") % {"n": number},
                "milestones",
            )
        due = _date(parts[1], number)
        done = _date(parts[2], number) if len(parts) > 2 and parts[2] else None
        if done is not None and done > today:
            raise fail(
                _("第 %(n)d 行的实际完成日期晚于今天，尚未完成的节点请不填实际完成日期。")
                % {"n": number},
                "milestones",
            )
        out.append((parts[0][:200], due, done))
    if len(out) > MAX_MILESTONES:
        raise fail(_("每个项目的节点最多 %(n)d 个。") % {"n": MAX_MILESTONES}, "milestones")
    return out


def milestones_text(project: Project) -> str:
    """The project's milestones as the form writes them (the form's initial value)."""
    return "\n".join(
        "|".join([m.title, m.due_on.isoformat(), m.done_on.isoformat() if m.done_on else ""])
        for m in project.milestones.all()
    )


def milestones_set(
    actor: Actor, *, project_id: int, milestones: str, version: int | None = None
) -> Project:
    """The project's milestones (节点), replaced as a whole from the form's lines."""
    parsed = parse_milestones(milestones)
    with transaction.atomic():
        project = _project(project_id)
        access.require(actor, "livelihood.project.manage", project)
        check_version(project, version)
        before = milestones_text(project)
        project.milestones.all().delete()
        Milestone.objects.bulk_create(
            [Milestone(project=project, title=t, due_on=d, done_on=x) for t, d, x in parsed]
        )
        bump(project)
        audit.event(
            actor,
            "livelihood.project.milestones_set",
            project,
            project.responsible_id,
            before={"milestones": before},
            after={"milestones": milestones_text(project)},
        )
    return project


# --- Supervision orders (督办) and their escalation to the CDI ------------------------------

MAX_TEXT = 4000


def _text(value: str, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise fail(message, field)
    if len(text) > MAX_TEXT:
        raise fail(_("内容过长，请控制在 %(n)d 字以内。") % {"n": MAX_TEXT}, field)
    return text


def _order(order_id: int) -> Order:
    order = (
        Order.objects.select_for_update()
        .select_related("project__cycle", "to_unit")
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise fail(_("该督办不存在。"))
    return order


def _in(order: Order, *states: str, doing: str) -> None:
    if order.state not in states:
        raise TransitionNotAllowed(
            _("该督办处于“%(s)s”状态，不能%(d)s。")
            % {"s": OrderState(order.state).label, "d": doing}
        )


def order_issue(
    actor: Actor, *, project_id: int, requirements: str, due_on: date, version: int | None = None
) -> Order:
    """督办 a lagging project (a deviation warning standing on one of its indicators): its
    responsible department is to answer in writing by `due_on`."""
    with transaction.atomic():
        project = _project(project_id)
        access.require(actor, "livelihood.project.manage", project)
        check_version(project, version)
        if project.cycle.state != CycleState.IMPLEMENTING:
            raise TransitionNotAllowed(_("只能督办组织实施阶段的项目。"))
        if not project.indicators.filter(warned_gap__isnull=False).exists():
            raise fail(_("该项目没有进度预警，不需督办；进度落后触发预警后才能督办。"))
        text = _text(requirements, "requirements", _("请写明督办要求。"))
        if due_on is None or due_on <= timezone.localdate():
            raise fail(_("答复期限应晚于今天。"), "due_on")
        if project.orders.filter(state=OrderState.ISSUED).exists():
            raise fail(_("该项目已有待答复的督办，请等待答复或将其移交纪委监委。"))
        organiser = project.cycle.organiser_id
        order = Order.objects.create(
            project=project,
            issued_by_org_id=organiser,
            issued_by=actor.user,
            issued_at=timezone.now(),
            to_unit_id=project.responsible_id,
            requirements=text,
            due_on=due_on,
        )
        bump(project)
        outbox.announce(
            actor,
            "livelihood.order.issued",
            order,
            project.responsible_id,
            after={"project": project.pk, "due_on": due_on.isoformat()},
            recipients=users_holding([project.responsible_id]),
            title=_("民生实事项目督办：%(t)s") % {"t": project.title},
            body=_("请于 %(d)s 前书面答复：%(r)s") % {"d": due_on.isoformat(), "r": text[:200]},
            dedupe=f"livelihood:order:{order.pk}:issued",
        )
    return order


def order_answer(actor: Actor, *, order_id: int, answer: str, version: int | None = None) -> Order:
    """The responsible department answers the order in writing."""
    with transaction.atomic():
        order = _order(order_id)
        access.require(actor, "livelihood.project.report", order.project)
        check_version(order, version)
        _in(order, OrderState.ISSUED, doing=_("答复"))
        order.answer = _text(answer, "answer", _("请填写督办事项的办理情况。"))
        order.answered_at = timezone.now()
        order.answered_by = actor.user
        order.state = OrderState.ANSWERED
        bump(order, "answer", "answered_at", "answered_by", "state")
        outbox.announce(
            actor,
            "livelihood.order.answered",
            order,
            order.to_unit_id,
            before={"state": OrderState.ISSUED},
            after={"state": order.state},
            recipients=users_holding([order.issued_by_org_id]),
            title=_("督办已答复：%(t)s") % {"t": order.project.title},
            body=order.answer[:200],
            dedupe=f"livelihood:order:{order.pk}:answered",
        )
    return order


def order_close(actor: Actor, *, order_id: int, version: int | None = None) -> Order:
    """The answer is accepted: the order is closed (办结)."""
    with transaction.atomic():
        order = _order(order_id)
        access.require(actor, "livelihood.project.manage", order.project)
        check_version(order, version)
        _in(order, OrderState.ANSWERED, doing=_("办结"))
        order.state = OrderState.CLOSED
        order.closed_at = timezone.now()
        bump(order, "state", "closed_at")
        audit.event(
            actor,
            "livelihood.order.closed",
            order,
            order.to_unit_id,
            before={"state": OrderState.ANSWERED},
            after={"state": order.state},
        )
    return order


def _cdi_users(order: Order) -> list[Any]:
    """Who in the CDI is told of an escalation: the CDI's staff, and the project group's CDI
    contact."""
    from django.contrib.auth import get_user_model

    cdi = Organisation.objects.filter(kind=OrgKind.CDI, is_active=True).values_list("pk", flat=True)
    contacts = get_user_model().objects.filter(
        person__in=order.project.group.filter(role=GroupRole.CDI_CONTACT).values("person_id"),
        is_active=True,
    )
    return list({u.pk: u for u in [*users_holding(list(cdi)), *contacts]}.values())


def order_escalate(actor: Actor, *, order_id: int, note: str, version: int | None = None) -> Order:
    """移交纪委监委: an order unanswered past its date, or answered without effect, goes to the
    CDI with the reason; the CDI's staff and the group's CDI contact are told."""
    with transaction.atomic():
        order = _order(order_id)
        access.require(actor, "livelihood.project.manage", order.project)
        check_version(order, version)
        _in(order, OrderState.ISSUED, OrderState.ANSWERED, doing=_("移交纪委监委"))
        if order.state == OrderState.ISSUED and order.due_on >= timezone.localdate():
            raise TransitionNotAllowed(
                _("答复期限（%(d)s）未到，期满未答复或答复后仍未落实的才能移交纪委监委。")
                % {"d": order.due_on.isoformat()}
            )
        before = order.state
        order.escalation_note = _text(note, "note", _("请写明移交纪委监委的理由。"))
        order.escalated_at = timezone.now()
        order.escalated_by = actor.user
        order.state = OrderState.ESCALATED
        bump(order, "escalation_note", "escalated_at", "escalated_by", "state")
        outbox.announce(
            actor,
            "livelihood.order.escalated",
            order,
            order.to_unit_id,
            before={"state": before},
            after={"state": order.state},
            recipients=_cdi_users(order),
            title=_("民生实事项目督办移交纪委监委：%(t)s") % {"t": order.project.title},
            body=order.escalation_note[:200],
            dedupe=f"livelihood:order:{order.pk}:escalated",
        )
    return order
