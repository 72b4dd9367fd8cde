"""Review batches (评查批次): their cases, draw rules and rubric; opening the review once every
drawn expert has accepted; closing it once every case has its grade."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.choices import ExpertCategory, OrgKind
from wulian.core.errors import TransitionNotAllowed, ValidationFailed
from wulian.core.models import Organisation
from wulian.core.notifications import outbox
from wulian.judicial import draw as engine
from wulian.judicial.choices import (
    DEFAULT_RUBRIC,
    BatchState,
    DrawState,
    InvitationState,
)
from wulian.judicial.models import Case, Draw, Invitation, PanelSeat, ReviewBatch
from wulian.judicial.policies import congress_desk
from wulian.judicial.services._common import get, lock, whole
from wulian.judicial.services.draws import _experts_by_ref, result_of

MAX_CRITERIA = 12
MAX_CASES = 500

BATCH_FIELDS = (
    "title",
    "year",
    "organiser_org_id",
    "witness_org_id",
    "reviewers_per_case",
    "minimums",
    "reserves_per_category",
    "max_cases_per_expert",
    "year_cap",
    "recent_judge_days",
    "rubric",
    "disagreement_points",
)


def snapshot(batch: ReviewBatch) -> dict[str, Any]:
    return {f: getattr(batch, f) for f in BATCH_FIELDS}


def _optional(value: Any, field: str, label: str, errors: dict[str, list[str]]) -> int | None:
    if value in (None, ""):
        return None
    try:
        return whole(value, field, label, low=1, high=500)
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
        return None


def clean_rubric(raw: Any) -> list[dict[str, Any]]:
    """A rubric: 1–12 criteria, each with a unique name and its maximum points (1–100)."""
    if raw in (None, "", []):
        return [dict(c) for c in DEFAULT_RUBRIC]
    if not isinstance(raw, list) or not raw:
        raise ValueError(_("评分细则格式不对。"))
    if len(raw) > MAX_CRITERIA:
        raise ValueError(_("评分细则最多 %(n)d 项。") % {"n": MAX_CRITERIA})
    rubric, names, codes = [], set(), set()
    for i, item in enumerate(raw, start=1):
        name = str((item or {}).get("name") or "").strip()
        if not name or len(name) > 20:
            raise ValueError(_("第 %(i)d 项评分细则缺少名称（不超过 20 个字）。") % {"i": i})
        if name in names:
            raise ValueError(_("评分细则“%(n)s”重复。") % {"n": name})
        try:
            points = int(item.get("max"))
        except (TypeError, ValueError):
            points = 0
        if not 1 <= points <= 100:
            raise ValueError(_("评分细则“%(n)s”的满分须为 1 到 100 分。") % {"n": name})
        code = str(item.get("code") or f"c{i}").strip()[:40]
        if code in codes:
            code = f"c{i}"
        names.add(name)
        codes.add(code)
        rubric.append({"code": code, "name": name, "max": points})
    return rubric


def _clean(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    title = str(data.get("title") or "").strip()
    if not title or len(title) > 200:
        errors["title"] = [_("请填写批次名称（不超过 200 个字）。")]
    values["title"] = title
    try:
        values["year"] = whole(data.get("year"), "year", _("年度"), low=2000, high=2100)
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
    organiser = Organisation.objects.filter(pk=data.get("organiser_org_id"), is_active=True).first()
    if organiser is None or organiser.pk not in congress_desk(actor):
        errors["organiser_org"] = [_("请选择您任职（工作人员或负责人）的人大机关作为组织单位。")]
    values["organiser_org_id"] = organiser.pk if organiser else None
    witness = Organisation.objects.filter(
        pk=data.get("witness_org_id"), is_active=True, kind=OrgKind.STATIONED_GROUP
    ).first()
    if witness is None:
        errors["witness_org"] = [_("请选择负责监督抽取和评查的派驻纪检监察组。")]
    values["witness_org_id"] = witness.pk if witness else None
    for field, label, low, high, default in (
        ("reviewers_per_case", _("每案评查专家人数"), 1, 15, 3),
        ("reserves_per_category", _("每类备选人数"), 0, 10, 2),
        ("recent_judge_days", _("回避天数"), 0, 3650, 365),
        ("disagreement_points", _("分歧提示分差"), 1, 100, 15),
    ):
        try:
            values[field] = whole(
                data.get(field, default) if data.get(field) not in (None, "") else default,
                field,
                label,
                low=low,
                high=high,
            )
        except ValidationFailed as exc:
            errors.update(exc.field_errors)
    values["max_cases_per_expert"] = _optional(
        data.get("max_cases_per_expert"),
        "max_cases_per_expert",
        _("每名专家本批最多案件数"),
        errors,
    )
    values["year_cap"] = _optional(data.get("year_cap"), "year_cap", _("年度上限"), errors)
    minimums: dict[str, int] = {}
    for category in ExpertCategory.values:
        raw = (data.get("minimums") or {}).get(category)
        if raw in (None, "", 0, "0"):
            continue
        try:
            minimums[category] = whole(raw, "minimums", _("类别最低人数"), low=0, high=15)
        except ValidationFailed as exc:
            errors.update(exc.field_errors)
    values["minimums"] = minimums
    if "reviewers_per_case" in values and "minimums" not in errors:
        try:
            engine.Rules(
                reviewers_per_case=values["reviewers_per_case"],
                minimums=minimums,
                reserves_per_category=values.get("reserves_per_category", 2),
                max_cases_per_expert=values["max_cases_per_expert"],
                year_cap=values["year_cap"],
            )
        except ValueError as exc:
            errors["minimums"] = [str(exc)]
    try:
        values["rubric"] = clean_rubric(data.get("rubric"))
    except ValueError as exc:
        errors["rubric"] = [str(exc)]
    if errors:
        raise ValidationFailed(_("评查批次未保存，请按提示更正。"), field_errors=errors)
    return values


def _set_cases(batch: ReviewBatch, case_ids: Any) -> tuple[list[int], list[int]]:
    wanted = list(dict.fromkeys(int(i) for i in case_ids or ()))
    if len(wanted) > MAX_CASES:
        raise ValidationFailed(
            _("一个批次最多 %(n)d 件案件。") % {"n": MAX_CASES},
            field_errors={"cases": [_("案件过多。")]},
        )
    cases = list(Case.objects.select_for_update().filter(pk__in=wanted))
    if len(cases) != len(wanted):
        raise ValidationFailed(
            _("所选案件不存在。"), field_errors={"cases": [_("所选案件不存在。")]}
        )
    taken = [c.number for c in cases if c.batch_id not in (None, batch.pk)]
    if taken:
        message = _("案件 %(n)s 已在其他评查批次中。") % {"n": "、".join(taken)}
        raise ValidationFailed(message, field_errors={"cases": [message]})
    current = set(Case.objects.filter(batch=batch).values_list("pk", flat=True))
    added = [pk for pk in wanted if pk not in current]
    removed = sorted(current - set(wanted))
    Case.objects.filter(pk__in=added).update(batch=batch)
    Case.objects.filter(pk__in=removed).update(batch=None)
    return added, removed


def batch_create(*, actor: Actor, data: dict[str, Any]) -> ReviewBatch:
    """A new batch with its rules, rubric and cases (`case_ids`)."""
    actor = access.require(actor, "judicial.batch.create")
    values = _clean(actor, data)
    with transaction.atomic():
        batch = ReviewBatch(**values, created_by=actor.user)
        batch.save(force_insert=True)
        added, _removed = _set_cases(batch, data.get("case_ids"))
        audit.event(
            actor,
            "judicial.batch.created",
            batch,
            batch.organiser_org_id,
            after={**snapshot(batch), "cases": sorted(added)},
        )
    return batch


def batch_update(*, actor: Actor, batch_id: int, version: int, data: dict[str, Any]) -> ReviewBatch:
    """Change a batch's rules, rubric or cases, until a draw is frozen."""
    actor = access.require(
        actor, "judicial.batch.manage", get(ReviewBatch, batch_id, _("评查批次不存在。"))
    )
    values = _clean(actor, data)
    with transaction.atomic():
        batch = lock(ReviewBatch, batch_id, version)
        if batch.state != BatchState.PREPARING:
            raise TransitionNotAllowed(_("抽取清单已冻结，批次的规则和案件不能再修改。"))
        before = snapshot(batch)
        for key, value in values.items():
            setattr(batch, key, value)
        added, removed = _set_cases(batch, data.get("case_ids"))
        old, new = audit.diff(before, snapshot(batch))
        if not new and not added and not removed:
            return batch
        batch.version += 1
        batch.save(update_fields=[*values, "version", "updated_at"])
        audit.event(
            actor,
            "judicial.batch.updated",
            batch,
            batch.organiser_org_id,
            before=old,
            after={**new, "cases_added": added, "cases_removed": removed},
        )
    return batch


def batch_open_review(*, actor: Actor, batch_id: int, version: int) -> ReviewBatch:
    """Open the review: every drawn expert has accepted; the panels are written from the
    sealed result (names are no longer sealed) and the reviewers are told."""
    actor = access.require(
        actor, "judicial.batch.manage", get(ReviewBatch, batch_id, _("评查批次不存在。"))
    )
    with transaction.atomic():
        batch = lock(ReviewBatch, batch_id, version)
        if batch.state != BatchState.DRAWING:
            raise TransitionNotAllowed(
                _("批次当前为“%(s)s”，不能开始评查。") % {"s": batch.get_state_display()}
            )
        d = Draw.objects.select_for_update().filter(batch=batch, state=DrawState.SEALED).first()
        if d is None:
            raise TransitionNotAllowed(_("本批次还没有完成抽取，不能开始评查。"))
        if d.abort_pending:
            raise TransitionNotAllowed(
                _("抽取 %(c)s 已申请作废，正等待见证人确认；确认或拒绝之前不能开始评查。")
                % {"c": d.code}
            )
        result = result_of(d)
        members = {ref for p in result.panels for ref in p.members}
        by_ref = _experts_by_ref(members)
        answers = dict(Invitation.objects.filter(draw=d).values_list("expert_id", "state"))
        waiting = [r for r in members if answers.get(by_ref[r].pk) != InvitationState.ACCEPTED]
        if waiting:
            raise TransitionNotAllowed(
                _("还有 %(n)d 名抽中专家没有接受邀请，全部接受后才能开始评查。")
                % {"n": len(waiting)}
            )
        cases = {c.number: c for c in batch.cases.all()}
        seats = [
            PanelSeat(
                case=cases[p.case_ref],
                expert=by_ref[ref],
                draw=d,
                category=category,
                position=i,
            )
            for p in result.panels
            for i, (ref, category) in enumerate(zip(p.members, p.categories, strict=True), 1)
        ]
        PanelSeat.objects.bulk_create(seats)
        versioned.save(batch, state=BatchState.REVIEWING, review_opened_at=timezone.now())
        audit.event(
            actor,
            "judicial.batch.review_opened",
            batch,
            batch.organiser_org_id,
            before={"state": BatchState.DRAWING},
            after={
                "state": batch.state,
                "draw": d.code,
                "result_sm3": d.current_hash,
                "seats": len(seats),
            },
        )
        users = [e.profile.person.user for e in by_ref.values() if e.profile.person.user_id]
        outbox.enqueue(
            kind="judicial.batch.review_opened",
            recipients=users,
            title=_("案件质量评查已开始，请登录查看分配给您的案件并评分"),
            url=reverse("judicial:my_reviews"),
            dedupe=f"judicial:batch:{batch.pk}:review_opened",
        )
    return batch


def batch_close(*, actor: Actor, batch_id: int, version: int) -> ReviewBatch:
    """Close the batch once every case has its consolidated grade."""
    actor = access.require(
        actor, "judicial.batch.manage", get(ReviewBatch, batch_id, _("评查批次不存在。"))
    )
    with transaction.atomic():
        batch = lock(ReviewBatch, batch_id, version)
        if batch.state != BatchState.REVIEWING:
            raise TransitionNotAllowed(
                _("批次当前为“%(s)s”，不能结束。") % {"s": batch.get_state_display()}
            )
        ungraded = batch.cases.filter(grade="").count()
        if ungraded:
            raise TransitionNotAllowed(
                _("还有 %(n)d 件案件没有评定等次，全部定等后才能结束批次。") % {"n": ungraded}
            )
        versioned.save(batch, state=BatchState.CLOSED, closed_at=timezone.now())
        audit.event(
            actor,
            "judicial.batch.closed",
            batch,
            batch.organiser_org_id,
            before={"state": BatchState.REVIEWING},
            after={"state": batch.state},
        )
    return batch
