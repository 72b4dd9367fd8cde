"""Services of 联评 (ADR 0028). Each: access → atomic → lock → validate → save → audit → outbox.
The primitives are composed, never re-implemented: the 主任会议 decision and the activities
(wulian.core.activities), deadlines, the secret ballot (wulian.core.polls), findings and
rectification, attachments (the self-report), the bulletin to the CDI and the clues."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, records
from wulian.core.access import Actor
from wulian.core.activities import services as activity_services
from wulian.core.activities.choices import ActivityKind, ActivityState, ParticipantRole
from wulian.core.activities.models import Activity, ActivityRecordLink, Decision
from wulian.core.attachments import services as attachment_services
from wulian.core.bulletins import services as bulletin_services
from wulian.core.choices import OrgKind, Sensitivity
from wulian.core.clues import services as clue_services
from wulian.core.deadlines import services as deadline_services
from wulian.core.deadlines.rules import Rule
from wulian.core.deadlines.selectors import live_deadline
from wulian.core.errors import ConcurrentEdit, RuleViolation, TransitionNotAllowed, ValidationFailed
from wulian.core.models import Organisation, Person
from wulian.core.notifications import outbox
from wulian.core.polls.choices import PollKind, PollState
from wulian.core.polls.models import Poll
from wulian.core.rectification import services as rect_services
from wulian.core.rectification.choices import RectificationState
from wulian.core.rectification.models import Rectification
from wulian.core.selectors import users_holding
from wulian.evaluation import rules
from wulian.evaluation.choices import (
    DEADLINE_DOSSIER,
    DEADLINE_OPINION,
    DEADLINE_REPORT,
    STAGE_ORDER,
    Consequence,
    DossierKind,
    DossierUse,
    Stage,
    StepKind,
    TeamRole,
)
from wulian.evaluation.models import DossierItem, Evaluation, EvaluationClue, TeamMember
from wulian.evaluation.policies import manager_orgs

MANAGE = "evaluation.evaluation.manage"
DOSSIER_WORKING_DAYS = 10
OPINION_WORKING_DAYS = 10
REPORT_MONTHS = 3
MAX_DIMENSIONS = 12


def _fail(message: str, field: str | None = None) -> ValidationFailed:
    return ValidationFailed(message, field_errors={field: [message]} if field else None)


def _locked(evaluation_id: int, version: int | None = None) -> Evaluation:
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation_id)
    if version is not None and evaluation.version != version:
        raise ConcurrentEdit(_("该评议已被他人修改，请刷新页面后重试。"))
    return evaluation


def _load(actor: Actor, evaluation_id: int, action: str = MANAGE) -> tuple[Actor, Evaluation]:
    evaluation = Evaluation.objects.filter(pk=evaluation_id).first()
    if evaluation is None:
        raise _fail(_("评议不存在或已被删除。"))
    return access.require(actor, action, evaluation), evaluation


def _bump(evaluation: Evaluation, *fields: str) -> None:
    evaluation.version += 1
    evaluation.save(update_fields=[*fields, "version", "updated_at"])


def _in_stage(evaluation: Evaluation, *stages: str, doing: str) -> None:
    if evaluation.stage not in stages:
        raise TransitionNotAllowed(
            _("该评议当前处于“%(s)s”阶段，不能%(d)s。")
            % {"s": evaluation.get_stage_display(), "d": doing}
        )


def _notify(evaluation: Evaluation, kind: str, title: str, org_ids: Sequence[int]) -> None:
    outbox.enqueue(
        kind=kind,
        recipients=users_holding(org_ids),
        title=title,
        url=evaluation.get_absolute_url(),
        dedupe=f"{kind}:{evaluation.pk}:{evaluation.version}",
    )


def _meet(actor: Actor, evaluation: Evaluation, kind: str) -> None:
    deadline = live_deadline(evaluation, kind)
    if deadline is not None:
        deadline_services.deadline_meet(actor=actor, deadline_id=deadline.pk)


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
        audit.record(
            action="evaluation.evaluation.created",
            actor=actor,
            target=evaluation,
            organisation_id=body.pk,
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
        audit.record(
            action="evaluation.evaluation.dimensions_changed",
            actor=actor,
            target=evaluation,
            organisation_id=evaluation.working_body_id,
            before={"dimensions": before},
            after={"dimensions": items},
        )
    return evaluation


# --- The CDI's reference dossier (confidential) -------------------------------------------


def dossier_add(
    *, actor: Actor, evaluation_id: int, kind: str, title: str, body: str
) -> DossierItem:
    actor, _e = _load(actor, evaluation_id, "evaluation.dossier.add")
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if kind not in DossierKind.values:
        errors["kind"] = [_("请选择材料类型（巡察发现问题或日常监督信息）。")]
    if not title or len(title) > 200:
        errors["title"] = [_("请填写标题（不超过 200 个字）。")]
    if not body or len(body) > 20000:
        errors["body"] = [_("请填写材料内容（不超过 20000 个字）。")]
    if errors:
        raise ValidationFailed(_("参考材料未保存，请按提示更正。"), field_errors=errors)
    with transaction.atomic():
        evaluation = _locked(evaluation_id)
        _in_stage(evaluation, *STAGE_ORDER[:4], doing=_("提交参考材料"))
        item = DossierItem.objects.create(
            evaluation=evaluation,
            kind=kind,
            title=title,
            body=body,
            uploaded_by=actor.user,
            uploaded_at=timezone.now(),
        )
        audit.record(
            action="evaluation.dossier.added",
            actor=actor,
            target=evaluation,
            organisation_id=evaluation.cdi_id,
            after={"item": item.pk, "kind": kind},  # never the content: the log is wider
        )
    return item


def dossier_deliver(*, actor: Actor, evaluation_id: int, version: int) -> Evaluation:
    """The CDI says the dossier is complete: its deadline is met and the team is told."""
    actor, _e = _load(actor, evaluation_id, "evaluation.dossier.add")
    with transaction.atomic():
        evaluation = _locked(evaluation_id, version)
        if evaluation.dossier_delivered_at is not None:
            raise TransitionNotAllowed(_("参考材料已提交，无需再次提交。"))
        if not evaluation.dossier.exists():
            raise RuleViolation(_("请先录入至少一份巡察发现问题或日常监督信息，再提交。"))
        evaluation.dossier_delivered_at = timezone.now()
        _bump(evaluation, "dossier_delivered_at")
        _meet(actor, evaluation, DEADLINE_DOSSIER)
        audit.record(
            action="evaluation.dossier.delivered",
            actor=actor,
            target=evaluation,
            organisation_id=evaluation.cdi_id,
            after={"items": evaluation.dossier.count()},
        )
        _notify(
            evaluation,
            "evaluation.dossier.delivered",
            _("纪委监委已提供评议参考材料：%(t)s") % {"t": evaluation.title},
            [evaluation.working_body_id],
        )
    return evaluation


def dossier_attach(
    *, actor: Actor, evaluation_id: int, item_id: int, upload: Any, description: str = ""
) -> Any:
    """A file (the inspection report, a supervision record) on an item of the CDI's dossier
    (wulian.core.attachments): confidential as the item is — only the team and the CDI see
    it, every download is an audit event, the department never learns it exists."""
    actor, _e = _load(actor, evaluation_id, "evaluation.dossier.add")
    item = (
        DossierItem.objects.select_related("evaluation")
        .filter(pk=item_id, evaluation_id=evaluation_id)
        .first()
    )
    if item is None:
        raise _fail(_("所选参考材料不属于本评议，请按参考材料列表中的编号选择。"), "item")
    _in_stage(item.evaluation, *STAGE_ORDER[:4], doing=_("提交参考材料"))
    return attachment_services.attachment_add(
        actor=actor,
        record=item,
        upload=upload,
        description=description,
        sensitivity=Sensitivity.CONFIDENTIAL,
    )


def dossier_read(*, actor: Actor, evaluation: Evaluation, via: str = "page") -> list[DossierItem]:
    """The dossier, as an audited read (every reading is recorded); each item with its files
    (`files`, read in one query)."""
    from django.contrib.contenttypes.models import ContentType

    from wulian.core.attachments.models import Attachment

    actor = access.require(actor, "evaluation.dossier.view", evaluation)
    items = list(evaluation.dossier.select_related("uploaded_by").order_by("id"))
    files: dict[int, list[Attachment]] = {i.pk: [] for i in items}
    for att in Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(DossierItem),
        object_id__in=list(files),
        removed_at=None,
    ).order_by("id"):
        files[att.object_id].append(att)
    for item in items:
        item.files = files[item.pk]  # type: ignore[attr-defined]
    audit.record(
        action="evaluation.dossier.read",
        actor=actor,
        target=evaluation,
        organisation_id=evaluation.cdi_id,
        after={"items": [i.pk for i in items], "via": via},
    )
    return items


def dossier_use(
    *, actor: Actor, evaluation_id: int, item_id: int, use: str, note: str = ""
) -> DossierItem:
    """The team records how a dossier item was used."""
    actor, _e = _load(actor, evaluation_id)
    if use not in DossierUse.values or not use:
        raise _fail(_("请选择使用情况。"), "use")
    note = (note or "").strip()
    if len(note) > 500:
        raise _fail(_("使用说明不能超过 500 个字。"), "note")
    with transaction.atomic():
        evaluation = _locked(evaluation_id)
        item = (
            DossierItem.objects.select_for_update()
            .filter(pk=item_id, evaluation=evaluation)
            .first()
        )
        if item is None:
            raise _fail(_("所选参考材料不属于本评议。"), "item")
        before = {"use": item.use}
        item.use, item.use_note = use, note
        item.version += 1
        item.save(update_fields=["use", "use_note", "version", "updated_at"])
        audit.record(
            action="evaluation.dossier.used",
            actor=actor,
            target=evaluation,
            organisation_id=evaluation.working_body_id,
            before=before,
            after={"item": item.pk, "use": use},
        )
    return item


# --- Stages --------------------------------------------------------------------------------


def _held_with_group(evaluation: Evaluation) -> tuple[int, int]:
    """(activities held with the stationed group present, activities still planned)."""
    ids = linked_activity_ids(evaluation)
    acts = Activity.objects.filter(pk__in=ids)
    held = acts.filter(
        state=ActivityState.HELD,
        participants__organisation_id=evaluation.stationed_group_id,
        participants__attended=True,
    ).distinct()
    return held.count(), acts.filter(state=ActivityState.PLANNED).count()


def linked_activity_ids(evaluation: Evaluation) -> list[int]:
    return list(
        ActivityRecordLink.objects.filter(**records.reference(evaluation)).values_list(
            "activity_id", flat=True
        )
    )


def self_report_count(evaluation: Evaluation) -> int:
    from wulian.core.attachments.models import Attachment

    return Attachment.objects.filter(**records.reference(evaluation), removed_at=None).count()


def _advance_check(evaluation: Evaluation) -> None:
    if evaluation.stage == Stage.APPROVED and evaluation.dossier_delivered_at is None:
        raise RuleViolation(_("纪委监委尚未提交评议参考材料，不能进入评议前阶段。"))
    if evaluation.stage == Stage.BEFORE and not linked_activity_ids(evaluation):
        raise RuleViolation(_("请先安排至少一项调研、座谈、听取汇报或问卷调查活动。"))
    if evaluation.stage == Stage.DURING:
        held, planned = _held_with_group(evaluation)
        if held == 0 or planned:
            raise RuleViolation(
                _("进入测评前，评议活动须已全部举行且派驻纪检监察组出席（尚有 %(p)d 项未举行）。")
                % {"p": planned}
            )
        if self_report_count(evaluation) == 0:
            raise RuleViolation(_("被评议部门尚未上传自查报告，不能进入测评。"))


ADVANCE_FROM = (Stage.APPROVED, Stage.BEFORE, Stage.DURING)


def evaluation_advance(*, actor: Actor, evaluation_id: int, version: int) -> Evaluation:
    """立项 → 评议前 → 评议中 → 测评, each when what it needs is done."""
    actor, _e = _load(actor, evaluation_id)
    with transaction.atomic():
        evaluation = _locked(evaluation_id, version)
        _in_stage(evaluation, *ADVANCE_FROM, doing=_("进入下一阶段"))
        _advance_check(evaluation)
        before = evaluation.stage
        evaluation.stage = STAGE_ORDER[STAGE_ORDER.index(before) + 1]
        _bump(evaluation, "stage")
        audit.record(
            action="evaluation.evaluation.advanced",
            actor=actor,
            target=evaluation,
            organisation_id=evaluation.working_body_id,
            before={"stage": before},
            after={"stage": evaluation.stage},
        )
    return evaluation


# --- 评议中: linked activities, findings, the self-report ---------------------------------


def activity_add(
    *,
    actor: Actor,
    evaluation_id: int,
    kind: str,
    title: str,
    starts_at: datetime,
    place: str = "",
) -> Activity:
    """A research visit, symposium, report hearing or questionnaire of the evaluation: organised
    by the working body, the stationed group invited to witness, the department taking part."""
    actor, evaluation = _load(actor, evaluation_id)
    if kind not in StepKind.values:
        raise _fail(_("请选择活动类型（调研、座谈会、听取汇报或问卷调查）。"), "kind")
    _in_stage(evaluation, Stage.BEFORE, Stage.DURING, doing=_("安排评议活动"))
    with transaction.atomic():
        evaluation = _locked(evaluation_id)
        activity = activity_services.activity_create(
            actor=actor,
            data={
                "organiser_id": evaluation.working_body_id,
                "kind": kind,
                "title": title,
                "starts_at": starts_at,
                "place": place,
            },
        )
        for org_id, role in (
            (evaluation.stationed_group_id, ParticipantRole.INVITED_WITNESS),
            (evaluation.department_id, ParticipantRole.PARTICIPANT),
        ):
            activity_services.activity_participant_add(
                actor=actor, activity_id=activity.pk, organisation_id=org_id, role=role
            )
        activity_services.activity_record_link(
            actor=actor, activity_id=activity.pk, record=evaluation
        )
        audit.record(
            action="evaluation.activity.added",
            actor=actor,
            target=evaluation,
            organisation_id=evaluation.working_body_id,
            after={"activity": activity.pk, "kind": kind},
        )
    return activity


def activity_held(
    *,
    actor: Actor,
    evaluation_id: int,
    activity_id: int,
    attended_ids: Sequence[int],
) -> Activity:
    """Mark a linked activity held with who attended (organisation ids): refused without the
    stationed group's attendance recorded — it takes part in every step."""
    actor, evaluation = _load(actor, evaluation_id)
    if activity_id not in linked_activity_ids(evaluation):
        raise _fail(_("所选活动不是本评议的活动。"), "activity")
    attended = {int(i) for i in attended_ids}
    if evaluation.stationed_group_id not in attended:
        raise RuleViolation(
            _(
                "未登记派驻纪检监察组出席，不能标记该评议活动已举行：派驻纪检监察组应参加评议的每个环节。"
            )
        )
    with transaction.atomic():
        evaluation = _locked(evaluation_id)
        _in_stage(evaluation, Stage.BEFORE, Stage.DURING, doing=_("登记评议活动"))
        activity = Activity.objects.get(pk=activity_id)
        participant_ids = list(
            activity.participants.filter(organisation_id__in=attended, person=None).values_list(
                "pk", flat=True
            )
        )
        activity = activity_services.activity_hold(
            actor=actor,
            activity_id=activity.pk,
            version=activity.version,
            attended_participant_ids=participant_ids,
        )
        audit.record(
            action="evaluation.activity.held",
            actor=actor,
            target=evaluation,
            organisation_id=evaluation.working_body_id,
            after={"activity": activity.pk, "attended": sorted(attended)},
        )
    return activity


def self_report_upload(
    *, actor: Actor, evaluation_id: int, upload: Any, description: str = ""
) -> Any:
    """The department's self-report (自查报告) or its 整改报告: a file on the evaluation."""
    actor, evaluation = _load(actor, evaluation_id, "evaluation.evaluation.attach")
    if evaluation.stage == Stage.CLOSED:
        raise TransitionNotAllowed(_("评议已办结，不能再上传报告。"))
    return attachment_services.attachment_add(
        actor=actor, record=evaluation, upload=upload, description=description
    )


def finding_add(
    *, actor: Actor, evaluation_id: int, title: str, description: str, months: int = 3
) -> Any:
    """A problem found in the evaluation, for the department to rectify
    (wulian.core.rectification)."""
    actor, evaluation = _load(actor, evaluation_id)
    _in_stage(
        evaluation,
        Stage.DURING,
        Stage.VOTING,
        Stage.OPINION_SENT,
        Stage.RECTIFYING,
        doing=_("提出整改问题"),
    )
    return rect_services.finding_raise(
        actor=actor,
        record=evaluation,
        data={
            "title": title,
            "description": description,
            "found_at": timezone.localdate(),
            "about_organisation_id": evaluation.department_id,
            "found_by_org_id": evaluation.working_body_id,
            "responsible_org_ids": [evaluation.department_id],
            "rectification_months": months,
        },
    )


# --- 测评: the satisfaction vote -----------------------------------------------------------


def same_department(label: str, department: Organisation) -> bool:
    """A poll item names the department: its name, short name, or its name without the
    city ("市政务服务和大数据管理局" for "黄石市政务服务和大数据管理局")."""
    label = label.strip()
    if not label:
        return False
    if label in (department.name, department.short_name):
        return True
    return len(label) >= 4 and department.name.endswith(label)


def vote_record(*, actor: Actor, evaluation_id: int, version: int, poll_id: int) -> Evaluation:
    """Take the department's result from a sealed poll certified by the stationed group; an
    unsatisfactory result (rules.assess) makes rectification mandatory, opens a 约谈 of the
    department head and marks the department for re-evaluation next year."""
    actor, evaluation = _load(actor, evaluation_id)
    poll = Poll.objects.filter(pk=poll_id).first()
    if poll is None or poll.kind != PollKind.SATISFACTION:
        raise _fail(_("请选择满意度测评。"), "poll")
    if poll.state != PollState.CERTIFIED:
        raise RuleViolation(_("该测评尚未经派驻纪检监察组见证确认计票结果，不能采用。"))
    if poll.witness_id != evaluation.stationed_group_id:
        raise _fail(_("该测评的见证单位不是本评议组的派驻纪检监察组。"), "poll")
    item = next(
        (
            row
            for row in poll.result.get("items", [])
            if same_department(str(row.get("label") or ""), evaluation.department)
        ),
        None,
    )
    if item is None:
        raise _fail(
            _("该测评中没有被评议部门“%(d)s”。") % {"d": evaluation.department.name}, "poll"
        )
    names = {str(g["id"]): g["name"] for g in poll.result.get("groups", [])}
    verdict = rules.assess(item, names, rules.thresholds())
    with transaction.atomic():
        evaluation = _locked(evaluation_id, version)
        _in_stage(evaluation, Stage.VOTING, doing=_("登记测评结果"))
        evaluation.poll = poll
        evaluation.poll_item_id = item["id"]
        evaluation.grade = item.get("grade") or ""
        evaluation.score = item.get("score") or ""
        evaluation.consequence = Consequence.MANDATORY if verdict.mandatory else Consequence.NONE
        evaluation.consequence_reason = "；".join(verdict.reasons)[:300]
        fields = ["poll", "poll_item_id", "grade", "score", "consequence", "consequence_reason"]
        if verdict.mandatory:
            talk = activity_services.activity_create(
                actor=actor,
                data={
                    "organiser_id": evaluation.working_body_id,
                    "kind": ActivityKind.ADMONITORY_TALK,
                    "title": _("约谈%(d)s主要负责人") % {"d": evaluation.department.name},
                    "starts_at": timezone.now() + timedelta(days=7),
                },
            )
            activity_services.activity_participant_add(
                actor=actor,
                activity_id=talk.pk,
                organisation_id=evaluation.department_id,
                role=ParticipantRole.PARTICIPANT,
            )
            activity_services.activity_participant_add(
                actor=actor,
                activity_id=talk.pk,
                organisation_id=evaluation.stationed_group_id,
                role=ParticipantRole.INVITED_WITNESS,
            )
            activity_services.activity_record_link(
                actor=actor, activity_id=talk.pk, record=evaluation
            )
            evaluation.talk = talk
            fields.append("talk")
            rect_services.finding_raise(
                actor=actor,
                record=evaluation,
                data={
                    "title": _("满意度测评结果不满意，须强制整改"),
                    "description": evaluation.consequence_reason,
                    "found_at": timezone.localdate(),
                    "about_organisation_id": evaluation.department_id,
                    "found_by_org_id": evaluation.working_body_id,
                    "responsible_org_ids": [evaluation.department_id],
                    "rectification_months": REPORT_MONTHS,
                },
            )
        _bump(evaluation, *fields)
        deadline_services.deadline_open(
            actor=actor,
            record=evaluation,
            kind=DEADLINE_OPINION,
            title=(_("送达评议意见书：%(t)s") % {"t": evaluation.title})[:200],
            rule=Rule.working_days(OPINION_WORKING_DAYS),
            responsible_org=evaluation.working_body,
            assigner_org=evaluation.working_body,
            manage_action=MANAGE,
        )
        audit.record(
            action="evaluation.vote.recorded",
            actor=actor,
            target=evaluation,
            organisation_id=evaluation.working_body_id,
            after={
                "poll": poll.pk,
                "grade": evaluation.grade,
                "score": evaluation.score,
                "consequence": evaluation.consequence,
            },
        )
    return evaluation


def reevaluation_due(evaluation: Evaluation) -> bool:
    """A mandatory consequence: the department is evaluated again the next year."""
    return evaluation.consequence == Consequence.MANDATORY


# --- After: the opinion, the results to the CDI, the 整改报告, closing ---------------------


def opinion_send(*, actor: Actor, evaluation_id: int, version: int, opinion: str) -> Evaluation:
    """送达评议意见书 (the .docx on the evaluation's page): the 整改报告 is due in 3 months."""
    actor, _e = _load(actor, evaluation_id)
    opinion = (opinion or "").strip()
    if len(opinion) < 10 or len(opinion) > 20000:
        raise _fail(_("请填写评议意见（10 至 20000 个字）。"), "opinion")
    with transaction.atomic():
        evaluation = _locked(evaluation_id, version)
        _in_stage(evaluation, Stage.VOTING, doing=_("送达评议意见书"))
        if evaluation.poll_id is None:
            raise RuleViolation(_("请先登记满意度测评结果，再送达评议意见书。"))
        evaluation.opinion = opinion
        evaluation.opinion_sent_at = timezone.now()
        evaluation.stage = Stage.OPINION_SENT
        _bump(evaluation, "opinion", "opinion_sent_at", "stage")
        _meet(actor, evaluation, DEADLINE_OPINION)
        deadline_services.deadline_open(
            actor=actor,
            record=evaluation,
            kind=DEADLINE_REPORT,
            title=(_("报送整改报告：%(t)s") % {"t": evaluation.title})[:200],
            rule=Rule.months(REPORT_MONTHS),
            responsible_org=evaluation.department,
            assigner_org=evaluation.working_body,
            manage_action=MANAGE,
        )
        audit.record(
            action="evaluation.opinion.sent",
            actor=actor,
            target=evaluation,
            organisation_id=evaluation.working_body_id,
            before={"stage": Stage.VOTING},
            after={"stage": evaluation.stage, "chars": len(opinion)},
        )
        _notify(
            evaluation,
            "evaluation.opinion.sent",
            _("评议意见书已送达，请在3个月内报送整改报告：%(t)s") % {"t": evaluation.title},
            [evaluation.department_id],
        )
    return evaluation


def results_share(*, actor: Actor, evaluation_id: int, version: int) -> Evaluation:
    """The results to the CDI as a bulletin it signs for; the department rectifies."""
    actor, evaluation = _load(actor, evaluation_id)
    _in_stage(evaluation, Stage.OPINION_SENT, doing=_("通报评议结果"))
    body = _(
        "%(t)s：满意度测评结果%(g)s，加权得分%(s)s。%(c)s评议意见已于%(d)s送达，整改报告3个月内报送。"
    ) % {
        "t": evaluation.title,
        "g": grade_label(evaluation.grade),
        "s": evaluation.score or "—",
        "c": (_("触发强制整改：%(r)s。") % {"r": evaluation.consequence_reason})
        if evaluation.consequence
        else "",
        "d": timezone.localtime(evaluation.opinion_sent_at).strftime("%Y-%m-%d")
        if evaluation.opinion_sent_at
        else "—",
    }
    with transaction.atomic():
        evaluation = _locked(evaluation_id, version)
        bulletin = bulletin_services.issue_bulletin(
            actor,
            issuer_id=evaluation.working_body_id,
            title=(_("工作评议结果通报：%(t)s") % {"t": evaluation.title})[:200],
            body=body,
            recipient_ids=[evaluation.cdi_id],
            linked_record=evaluation,
        )
        evaluation.bulletin = bulletin
        evaluation.stage = Stage.RECTIFYING
        _bump(evaluation, "bulletin", "stage")
        audit.record(
            action="evaluation.results.shared",
            actor=actor,
            target=evaluation,
            organisation_id=evaluation.working_body_id,
            before={"stage": Stage.OPINION_SENT},
            after={"stage": evaluation.stage, "bulletin": bulletin.pk},
        )
    return evaluation


def report_hear(*, actor: Actor, evaluation_id: int, version: int, note: str) -> Evaluation:
    """The standing committee heard the department's 整改报告."""
    actor, _e = _load(actor, evaluation_id)
    note = (note or "").strip()
    if not note or len(note) > 5000:
        raise _fail(_("请填写常委会审议整改报告的情况（不超过 5000 个字）。"), "note")
    with transaction.atomic():
        evaluation = _locked(evaluation_id, version)
        _in_stage(evaluation, Stage.RECTIFYING, doing=_("登记整改报告审议"))
        evaluation.report_note = note
        evaluation.report_heard_at = timezone.now()
        evaluation.stage = Stage.REPORT_HEARD
        _bump(evaluation, "report_note", "report_heard_at", "stage")
        _meet(actor, evaluation, DEADLINE_REPORT)
        audit.record(
            action="evaluation.report.heard",
            actor=actor,
            target=evaluation,
            organisation_id=evaluation.working_body_id,
            before={"stage": Stage.RECTIFYING},
            after={"stage": evaluation.stage},
        )
    return evaluation


def open_rectifications(evaluation: Evaluation) -> int:
    from wulian.core.rectification.models import Finding

    findings = Finding.objects.filter(**records.reference(evaluation))
    return (
        Rectification.objects.filter(finding__in=findings)
        .exclude(state=RectificationState.CLOSED)
        .count()
    )


def evaluation_close(*, actor: Actor, evaluation_id: int, version: int) -> Evaluation:
    """办结: refused while any rectification item of the evaluation is open."""
    actor, _e = _load(actor, evaluation_id)
    with transaction.atomic():
        evaluation = _locked(evaluation_id, version)
        _in_stage(evaluation, Stage.REPORT_HEARD, doing=_("办结"))
        still = open_rectifications(evaluation)
        if still:
            raise RuleViolation(
                _("尚有 %(n)d 项整改未销号，评议不能办结。请先核验销号。") % {"n": still}
            )
        evaluation.stage = Stage.CLOSED
        evaluation.closed_at = timezone.now()
        _bump(evaluation, "stage", "closed_at")
        audit.record(
            action="evaluation.evaluation.closed",
            actor=actor,
            target=evaluation,
            organisation_id=evaluation.working_body_id,
            before={"stage": Stage.REPORT_HEARD},
            after={"stage": Stage.CLOSED},
        )
    return evaluation


# --- Alongside: the conduct grade, the dimension scores, clues ----------------------------


def conduct_record(
    *, actor: Actor, evaluation_id: int, version: int, grade: str, source: str = ""
) -> Evaluation:
    """行风政风评议: the government's / the CDI's grade for the same department and year."""
    from wulian.evaluation.choices import CONDUCT_GRADES

    evaluation = Evaluation.objects.filter(pk=evaluation_id).first()
    if evaluation is None:
        raise _fail(_("评议不存在或已被删除。"))
    actor = access.require(actor, "evaluation.evaluation.conduct", evaluation)
    if grade not in CONDUCT_GRADES:
        raise _fail(_("请选择行风政风评议等次（优秀、良好、一般、较差）。"), "grade")
    with transaction.atomic():
        evaluation = _locked(evaluation_id, version)
        conduct_apply(actor, evaluation, grade, source)
    return evaluation


def conduct_apply(
    actor: Actor, evaluation: Evaluation, grade: str, source: str, **noted: Any
) -> None:
    """Set the conduct grade of a locked, checked evaluation (entered on its page or imported:
    `noted` says from which file and row) with its audit event."""
    before = {"conduct_grade": evaluation.conduct_grade}
    evaluation.conduct_grade = grade
    evaluation.conduct_source = (source or "").strip()[:200]
    _bump(evaluation, "conduct_grade", "conduct_source")
    audit.record(
        action="evaluation.conduct.recorded",
        actor=actor,
        target=evaluation,
        organisation_id=evaluation.working_body_id,
        before=before,
        after={"conduct_grade": grade, **noted},
    )


def scores_record(
    *, actor: Actor, evaluation_id: int, version: int, scores: dict[str, int]
) -> Evaluation:
    """The team's score sheet: a whole number from 0 to 100 for each evaluated dimension (all
    of them, none other), while the department is evaluated (评议中, 测评)."""
    actor, _e = _load(actor, evaluation_id)
    with transaction.atomic():
        evaluation = _locked(evaluation_id, version)
        _in_stage(evaluation, Stage.DURING, Stage.VOTING, doing=_("登记各项评议得分"))
        unknown = [k for k in scores if k not in evaluation.dimensions]
        if unknown:
            raise _fail(
                _("“%(d)s”不是本评议的评议内容，请刷新页面后按现有评议内容评分。")
                % {"d": "、".join(unknown)}
            )
        missing = [d for d in evaluation.dimensions if scores.get(d) is None]
        if missing:
            raise _fail(_("请为“%(d)s”填写得分。") % {"d": "、".join(missing)})
        wrong = [k for k, v in scores.items() if isinstance(v, bool) or not isinstance(v, int)] or [
            k for k, v in scores.items() if not 0 <= v <= 100
        ]
        if wrong:
            raise _fail(_("“%(d)s”的得分须为 0 至 100 的整数。") % {"d": "、".join(wrong)})
        before = dict(evaluation.dimension_scores or {})
        evaluation.dimension_scores = {d: int(scores[d]) for d in evaluation.dimensions}
        _bump(evaluation, "dimension_scores")
        audit.record(
            action="evaluation.scores.recorded",
            actor=actor,
            target=evaluation,
            organisation_id=evaluation.working_body_id,
            before={"scores": before},
            after={"scores": evaluation.dimension_scores},
        )
    return evaluation


def clue_refer(
    *,
    actor: Actor,
    evaluation_id: int,
    campaign: str,
    subject_name: str,
    subject_post: str,
    violation_type: str,
    content: str,
) -> EvaluationClue:
    """A problem implicating an official: a confidential clue (wulian.core.clues) drafted by
    the working body for the CDI, tagged with the campaign it feeds."""
    actor, evaluation = _load(actor, evaluation_id)
    campaign = (campaign or "").strip()
    if not campaign or len(campaign) > 100:
        raise _fail(_("请填写该线索对应的专项整治（如“整治医疗领域不正之风”）。"), "campaign")
    with transaction.atomic():
        evaluation = _locked(evaluation_id)
        clue = clue_services.clue_draft(
            actor=actor,
            data={
                "subject_name": subject_name,
                "subject_post": subject_post,
                "violation_type": violation_type,
                "content": content,
                "subject_organisation_id": evaluation.department_id,
                "receiving_org_id": evaluation.cdi_id,
                "sending_org_id": evaluation.working_body_id,
            },
            source=evaluation,
        )
        link = EvaluationClue.objects.create(evaluation=evaluation, clue=clue, campaign=campaign)
        audit.record(
            action="evaluation.clue.referred",
            actor=actor,
            target=evaluation,
            organisation_id=evaluation.working_body_id,
            after={"campaign": campaign},  # the clue itself is audited by the clues app
        )
    return link


def grade_label(grade: str) -> str:
    from wulian.core.polls import tally

    return {
        tally.SATISFIED: _("满意"),
        tally.BASIC: _("基本满意"),
        tally.UNSATISFIED: _("不满意"),
    }.get(grade, "—")
