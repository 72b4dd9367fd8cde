"""立项: an evaluation chosen by a 主任会议 decision, with its team; its dimensions."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from wulian.core import access, audit
from wulian.core.access import Actor
from wulian.core.activities.choices import ActivityKind
from wulian.core.activities.models import Decision
from wulian.core.choices import OrgKind
from wulian.core.deadlines import services as deadline_services
from wulian.core.deadlines.rules import Rule
from wulian.core.errors import ValidationFailed
from wulian.core.models import Organisation, Person
from wulian.evaluation.choices import (
    DEADLINE_DOSSIER,
    Stage,
    TeamRole,
)
from wulian.evaluation.models import Evaluation, TeamMember
from wulian.evaluation.policies import manager_orgs
from wulian.evaluation.services.common import (
    DOSSIER_WORKING_DAYS,
    MANAGE,
    MAX_DIMENSIONS,
    _bump,
    _fail,
    _in_stage,
    _load,
    _locked,
    _notify,
    _record,
)

# --- 立项 --------------------------------------------------------------------------------------


def _cdi_of(group: Organisation) -> Organisation | None:
    if group.parent_id and group.parent and group.parent.kind == OrgKind.CDI:
        return group.parent
    return Organisation.objects.filter(kind=OrgKind.CDI, is_active=True).order_by("id").first()


def evaluation_create(
    *,
    actor: Actor,
    decision_id: int | None,
    department_id: int | None,
    year: int,
    working_body_id: int | None,
    stationed_group_id: int | None,
    lead_id: int | None = None,
    member_ids: Sequence[int] = (),
    deputy_ids: Sequence[int] = (),
    title: str = "",
    cdi_id: int | None = None,
) -> Evaluation:
    """立项: an evaluation of a department for a year, chosen by a recorded 主任会议 decision,
    with its team — the stationed group a required member. The CDI's reference dossier is due
    within 10 working days."""
    actor = access.require(actor, "evaluation.evaluation.create")
    errors: dict[str, list[str]] = {}
    decision = Decision.objects.select_related("meeting__activity").filter(pk=decision_id).first()
    if decision is None or decision.meeting.activity.kind != ActivityKind.DIRECTORS_MEETING:
        errors["decision"] = [_("请选择主任会议作出的决定（评议对象须经主任会议研究确定）。")]
    department = Organisation.objects.filter(pk=department_id, is_active=True).first()
    if department is None:
        errors["department"] = [_("请选择被评议部门。")]
    body = Organisation.objects.filter(pk=working_body_id, is_active=True).first()
    if body is None or body.pk not in manager_orgs(actor):
        errors["working_body"] = [_("请选择您任职（工作人员或负责人）的人大工作机构作为工作机构。")]
    group = Organisation.objects.filter(
        pk=stationed_group_id, is_active=True, kind=OrgKind.STATIONED_GROUP
    ).first()
    if group is None:
        errors["stationed_group"] = [_("评议组必须有派驻纪检监察组参加，请选择派驻纪检监察组。")]
    if not 2000 <= int(year or 0) <= 2100:
        errors["year"] = [_("请填写评议年度（四位数字）。")]
    people = {
        p.pk: p
        for p in Person.objects.filter(
            pk__in=[*([lead_id] if lead_id else []), *member_ids, *deputy_ids], is_active=True
        )
    }
    if lead_id and lead_id not in people:
        errors["lead"] = [_("所选带队领导不存在或已停用。")]
    if (
        department is not None
        and Evaluation.objects.filter(department=department, year=year).exists()
    ):
        errors["department"] = [_("该部门本年度已有评议，不能重复立项。")]
    if errors:
        raise ValidationFailed(_("评议未立项，请按提示更正。"), field_errors=errors)
    assert department and body and group and decision
    cdi = (
        Organisation.objects.filter(pk=cdi_id, is_active=True, kind=OrgKind.CDI).first()
        if cdi_id
        else _cdi_of(group)
    )
    if cdi is None:
        raise _fail(_("请选择提供参考材料的纪委监委（或其内设室）。"), "cdi")
    with transaction.atomic():
        evaluation = Evaluation.objects.create(
            year=year,
            department=department,
            title=(title or "").strip()[:200]
            or _("%(y)d年度%(d)s工作评议") % {"y": year, "d": department.name},
            decision=decision,
            working_body=body,
            stationed_group=group,
            cdi=cdi,
            created_by=actor.user,
        )
        team = [TeamMember(evaluation=evaluation, role=TeamRole.WORKING_BODY, organisation=body)]
        team.append(TeamMember(evaluation=evaluation, role=TeamRole.STATIONED, organisation=group))
        if lead_id:
            team.append(TeamMember(evaluation=evaluation, role=TeamRole.LEAD, person_id=lead_id))
        for role, ids in ((TeamRole.MEMBER, member_ids), (TeamRole.DEPUTY, deputy_ids)):
            team += [
                TeamMember(evaluation=evaluation, role=role, person_id=i)
                for i in dict.fromkeys(ids)
                if i in people
            ]
        TeamMember.objects.bulk_create(team)
        deadline_services.deadline_open(
            actor=actor,
            record=evaluation,
            kind=DEADLINE_DOSSIER,
            title=(_("提供评议参考材料：%(t)s") % {"t": evaluation.title})[:200],
            rule=Rule.working_days(DOSSIER_WORKING_DAYS),
            responsible_org=cdi,
            assigner_org=body,
            manage_action=MANAGE,
        )
        audit.event(
            actor,
            "evaluation.evaluation.created",
            evaluation,
            body.pk,
            after={
                "year": year,
                "department": department.pk,
                "decision": decision.pk,
                "stationed_group": group.pk,
                "team": len(team),
            },
        )
        _notify(
            evaluation,
            "evaluation.evaluation.created",
            _("请在10个工作日内提供评议参考材料：%(t)s") % {"t": evaluation.title},
            [cdi.pk, group.pk],
        )
    return evaluation


def dimensions_update(
    *, actor: Actor, evaluation_id: int, version: int, dimensions: Sequence[str]
) -> Evaluation:
    actor, _e = _load(actor, evaluation_id)
    items = [d.strip() for d in dimensions if d and d.strip()]
    items = list(dict.fromkeys(items))
    if not items:
        raise _fail(_("请至少填写一项评议内容（每行一项）。"), "dimensions")
    if len(items) > MAX_DIMENSIONS or any(len(d) > 60 for d in items):
        raise _fail(_("评议内容最多 12 项，每项不超过 60 个字。"), "dimensions")
    with transaction.atomic():
        evaluation = _locked(evaluation_id, version)
        _in_stage(evaluation, Stage.APPROVED, Stage.BEFORE, Stage.DURING, doing=_("修改评议内容"))
        before = list(evaluation.dimensions)
        evaluation.dimensions = items
        # A dimension taken off takes its score with it; the others keep theirs.
        scores = evaluation.dimension_scores or {}
        evaluation.dimension_scores = {d: scores[d] for d in items if d in scores}
        _bump(evaluation, "dimensions", "dimension_scores")
        _record(
            actor,
            evaluation,
            "evaluation.evaluation.dimensions_changed",
            before={"dimensions": before},
            after={"dimensions": items},
        )
    return evaluation
