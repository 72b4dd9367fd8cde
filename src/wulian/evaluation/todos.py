"""我的待办 of 联评: the team's evaluations waiting for its step, the CDI's dossiers to provide,
the department's reports to upload. Fixed number of queries per provider."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from wulian.core import todos
from wulian.core.access import Actor
from wulian.evaluation.choices import Stage
from wulian.evaluation.models import Evaluation
from wulian.evaluation.policies import cdi_desk_orgs, manager_orgs

LIMIT = 20


def _item(evaluation: Evaluation, status: str, tone: str = "neutral") -> todos.TodoItem:
    return todos.TodoItem(
        title=evaluation.title,
        url=evaluation.get_absolute_url(),
        source=_("工作评议"),
        status=status,
        tone=tone,
    )


@todos.provider
def _evaluation_todos(actor: Actor) -> list[todos.TodoItem]:
    items: list[todos.TodoItem] = []
    mine = manager_orgs(actor)
    team = Q(working_body_id__in=mine)
    if actor.person_id is not None:
        team |= Q(team__person_id=actor.person_id, team__role__in=["lead", "member"])
    if mine or actor.person_id is not None:
        for e in (
            Evaluation.objects.filter(team)
            .exclude(stage=Stage.CLOSED)
            .distinct()
            .only("id", "title", "stage")
            .order_by("-year", "id")[:LIMIT]
        ):
            items.append(_item(e, e.get_stage_display()))
    providers = Q() if cdi_desk_orgs(actor) else Q(stationed_group_id__in=mine)
    if cdi_desk_orgs(actor) or mine:
        for e in (
            Evaluation.objects.filter(providers, dossier_delivered_at__isnull=True)
            .exclude(stage=Stage.CLOSED)
            .only("id", "title")
            .order_by("-year", "id")[:LIMIT]
        ):
            items.append(_item(e, _("请提供评议参考材料"), "warning"))
    desks = actor.office_org_ids()
    if desks:
        for e in (
            Evaluation.objects.filter(
                department_id__in=desks,
                stage__in=[Stage.BEFORE, Stage.DURING, Stage.RECTIFYING],
            )
            .only("id", "title", "stage")
            .order_by("-year", "id")[:LIMIT]
        ):
            rectifying = e.stage == Stage.RECTIFYING
            items.append(_item(e, _("请上传整改报告") if rectifying else _("请上传自查报告")))
    return items
