"""The stages up to 测评, and 评议中: the linked activities, the self-report, findings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import records
from wulian.core.access import Actor
from wulian.core.activities import services as activity_services
from wulian.core.activities.choices import ActivityState, ParticipantRole
from wulian.core.activities.models import Activity, ActivityRecordLink
from wulian.core.attachments import services as attachment_services
from wulian.core.errors import RuleViolation, TransitionNotAllowed
from wulian.core.rectification import services as rect_services
from wulian.evaluation.choices import (
    STAGE_ORDER,
    Stage,
    StepKind,
)
from wulian.evaluation.models import Evaluation
from wulian.evaluation.services.common import (
    _change,
    _fail,
    _in_stage,
    _load,
    _locked,
    _record,
)

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
        following = STAGE_ORDER[STAGE_ORDER.index(evaluation.stage) + 1]
        _change(actor, evaluation, "evaluation.evaluation.advanced", "stage", stage=following)
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
        _record(
            actor,
            evaluation,
            "evaluation.activity.added",
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
        _record(
            actor,
            evaluation,
            "evaluation.activity.held",
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
