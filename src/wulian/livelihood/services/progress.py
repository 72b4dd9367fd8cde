"""A project under way: monthly actuals with evidence (photos whose time and place are read
from the file), the supervision group's verification or question, the deviation warning, the
choice of photos for the public page, and an indicator changed only on a recorded decision."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit
from wulian.core.access import Actor
from wulian.core.errors import TransitionNotAllowed
from wulian.core.notifications import outbox
from wulian.core.selectors import users_holding
from wulian.livelihood import exif, rules
from wulian.livelihood.choices import ActualState, CycleState, IndicatorKind
from wulian.livelihood.models import Actual, Indicator, IndicatorChange, Photo, Project, Warning
from wulian.livelihood.services.common import bump, check_version, fail

MAX_PHOTOS = 9


def warning_share() -> Decimal:
    """How far behind the planned curve an indicator may fall before the warning (a share)."""
    return Decimal(str(getattr(settings, "WULIAN_LIVELIHOOD_WARNING_SHARE", "0.2")))


def _group_users(project: Project) -> list[Any]:
    from django.contrib.auth import get_user_model

    return list(
        get_user_model().objects.filter(
            person__in=project.group.values("person_id"), is_active=True
        )
    )


def _warn(actor: Actor, indicator: Indicator, month: int, planned: Decimal, value: Decimal) -> None:
    """The deviation rule (rules.deviation): fires once, again only when it worsens."""
    gap = rules.gap(planned, value)
    verdict = rules.deviation(indicator.warned_gap, gap, warning_share())
    if verdict.standing != indicator.warned_gap:
        indicator.warned_gap = verdict.standing
        indicator.save(update_fields=["warned_gap"])
    if not verdict.fire:
        return
    project = indicator.project
    warning = Warning.objects.create(
        indicator=indicator,
        month=month,
        planned=planned,
        actual=value,
        gap=gap,
        fired_at=timezone.now(),
    )
    audit.event(
        actor,
        "livelihood.indicator.warned",
        indicator,
        project.responsible_id,
        after={"month": month, "planned": str(planned), "actual": str(value), "gap": str(gap)},
    )
    outbox.enqueue(
        kind="livelihood.indicator.warned",
        recipients=[*users_holding([project.responsible_id]), *_group_users(project)],
        title=_("民生实事项目进度预警：%(t)s") % {"t": project.title},
        body=_("%(n)s：%(m)d月计划累计 %(p)s，实际 %(a)s，落后 %(g)s%%。")
        % {
            "n": indicator.name,
            "m": month,
            "p": rules.number(planned),
            "a": rules.number(value),
            "g": rules.number(gap * 100),
        },
        url=project.get_absolute_url(),
        dedupe=f"livelihood:warning:{warning.pk}",
    )


def _current(cycle_year: int, month: int) -> None:
    today = timezone.localdate()
    if not 1 <= month <= 12:
        raise fail(_("月份应为 1 至 12。"), "month")
    if cycle_year > today.year or (cycle_year == today.year and month > today.month):
        raise fail(_("不能报送尚未到来的月份。"), "month")


def actual_report(
    actor: Actor,
    *,
    project_id: int,
    indicator_id: int,
    month: int,
    value: Decimal,
    value_in_use: Decimal | None = None,
    narrative: str = "",
    photos: Sequence[Any] = (),
) -> Actual:
    """The department reports an indicator's cumulative value for a month, with its evidence.
    A questioned report of the month is replaced; a verified one stands."""
    from wulian.core.attachments.services import attachment_add

    with transaction.atomic():
        project = Project.objects.select_related("cycle").get(pk=project_id)
        access.require(actor, "livelihood.project.report", project)
        if project.cycle.state not in (CycleState.IMPLEMENTING, CycleState.EVALUATING):
            raise TransitionNotAllowed(_("项目不在实施阶段，不能报送进展。"))
        indicator = (
            Indicator.objects.select_for_update().filter(pk=indicator_id, project=project).first()
        )
        if indicator is None:
            raise fail(_("请选择本项目的指标。"), "indicator")
        _current(project.cycle.year, int(month))
        if value is None or value < 0:
            raise fail(_("累计完成值不能为负数。"), "value")
        limit = indicator.limit()
        if value > limit:
            raise fail(
                _("累计完成 %(v)s %(u)s 超出合理上限 %(l)s %(u)s，请核对后再报送。")
                % {"v": rules.number(value), "u": indicator.unit, "l": rules.number(limit)},
                "value",
            )
        if indicator.kind == IndicatorKind.IN_USE:
            if value_in_use is None:
                raise fail(_("建成并投用类指标须同时填写累计投用数。"), "value_in_use")
            if value_in_use < 0 or value_in_use > value:
                raise fail(_("累计投用数不能为负，也不能多于累计建成数。"), "value_in_use")
        else:
            value_in_use = None
        earlier = (
            indicator.actuals.filter(month__lt=month).order_by("-month").values("value").first()
        )
        if earlier is not None and value < earlier["value"]:
            raise fail(
                _("累计完成值不能少于上月已报的 %(v)s。") % {"v": rules.number(earlier["value"])},
                "value",
            )
        if len(photos) > MAX_PHOTOS:
            raise fail(_("每次最多上传 %(n)d 张照片。") % {"n": MAX_PHOTOS}, "photos")
        now = timezone.now()
        actual = Actual.objects.select_for_update().filter(indicator=indicator, month=month).first()
        before = None
        if actual is not None:
            if actual.state != ActualState.QUESTIONED:
                raise fail(
                    _("%(m)d月已报送（%(s)s），只有被提出疑问的报送可以重报。")
                    % {"m": month, "s": ActualState(actual.state).label},
                    "month",
                )
            before = {"value": str(actual.value), "state": actual.state}
            actual.value, actual.value_in_use = value, value_in_use
            actual.narrative = (narrative or "").strip()
            actual.state = ActualState.REPORTED
            actual.reported_by, actual.reported_at = actor.user, now
            bump(
                actual,
                "value",
                "value_in_use",
                "narrative",
                "state",
                "reported_by",
                "reported_at",
            )
        else:
            actual = Actual.objects.create(
                indicator=indicator,
                month=month,
                value=value,
                value_in_use=value_in_use,
                narrative=(narrative or "").strip(),
                reported_by=actor.user,
                reported_at=now,
            )
        unreadable = 0
        for upload in photos:
            facts = exif.read(upload)
            attachment = attachment_add(actor=actor, record=actual, upload=upload)
            Photo.objects.create(
                actual=actual,
                attachment=attachment,
                taken_at=facts.taken_at,
                latitude=facts.latitude,
                longitude=facts.longitude,
                readable=facts.readable,
            )
            unreadable += not facts.readable
        if month >= indicator.actual_month:
            indicator.actual, indicator.actual_in_use = value, value_in_use or Decimal(0)
            indicator.actual_month = month
            indicator.save(update_fields=["actual", "actual_in_use", "actual_month"])
        outbox.announce(
            actor,
            "livelihood.actual.reported",
            actual,
            project.responsible_id,
            before=before,
            after={
                "indicator": indicator.pk,
                "month": month,
                "value": str(value),
                "in_use": str(value_in_use or ""),
                "photos": len(photos),
                "unreadable_photos": unreadable,
            },
            recipients=_group_users(project),
            title=_("民生实事项目进展待核实：%(t)s") % {"t": project.title},
            dedupe=f"livelihood:actual:{actual.pk}:v{actual.version}",
        )
        planned = rules.planned_at(indicator.plan, month)
        if planned is not None and month == indicator.actual_month:
            _warn(actor, indicator, month, planned, value)
    return actual


def _locked(actual_id: int) -> Actual:
    return Actual.objects.select_for_update().select_related("indicator__project").get(pk=actual_id)


def _review(
    actor: Actor, actual_id: int, version: int | None, state: str, note: str, code: str
) -> Actual:
    with transaction.atomic():
        actual = _locked(actual_id)
        access.require(actor, "livelihood.project.verify", actual)
        check_version(actual, version)
        allowed = {
            ActualState.VERIFIED: (ActualState.REPORTED, ActualState.QUESTIONED),
            ActualState.QUESTIONED: (ActualState.REPORTED,),
        }[state]
        if actual.state not in allowed:
            raise TransitionNotAllowed(
                _("该报送处于“%(s)s”状态，不能%(d)s。")
                % {"s": ActualState(actual.state).label, "d": ActualState(state).label}
            )
        before = {"state": actual.state}
        actual.state = state
        actual.review_note = (note or "").strip()
        actual.reviewed_by, actual.reviewed_at = actor.user, timezone.now()
        bump(actual, "state", "review_note", "reviewed_by", "reviewed_at")
        project = actual.indicator.project
        audit.event(
            actor,
            code,
            actual,
            project.responsible_id,
            before=before,
            after={"state": state, "note": actual.review_note},
        )
        if state == ActualState.QUESTIONED:
            outbox.enqueue(
                kind=code,
                recipients=users_holding(
                    [project.responsible_id, *project.co_departments.values_list("pk", flat=True)]
                ),
                title=_("监督小组对民生实事项目进展提出疑问：%(t)s") % {"t": project.title},
                body=actual.review_note,
                url=actual.get_absolute_url(),
                dedupe=f"livelihood:actual:{actual.pk}:questioned:{actual.version}",
            )
    return actual


def actual_verify(
    actor: Actor, *, actual_id: int, note: str = "", version: int | None = None
) -> Actual:
    """The supervision group confirms the report (核实)."""
    return _review(
        actor, actual_id, version, ActualState.VERIFIED, note, "livelihood.actual.verified"
    )


def actual_question(
    actor: Actor, *, actual_id: int, note: str, version: int | None = None
) -> Actual:
    """The supervision group questions the report; the department is told and may report the
    month again."""
    if not (note or "").strip():
        raise fail(_("请写明疑问，责任单位据此补充或重报。"), "note")
    return _review(
        actor, actual_id, version, ActualState.QUESTIONED, note, "livelihood.actual.questioned"
    )


def photos_publish(
    actor: Actor, *, actual_id: int, photo_ids: Sequence[int], version: int | None = None
) -> Actual:
    """Choose which photos of a verified report the public progress page shows."""
    with transaction.atomic():
        actual = _locked(actual_id)
        access.require(actor, "livelihood.project.manage", actual)
        check_version(actual, version)
        if actual.state != ActualState.VERIFIED:
            raise TransitionNotAllowed(_("只有已核实的报送，其照片才能公开。"))
        chosen = {int(i) for i in photo_ids}
        known = set(actual.photos.values_list("pk", flat=True))
        if not chosen <= known:
            raise fail(_("所选照片不属于本次报送。"), "photos")
        actual.photos.update(public=False)
        actual.photos.filter(pk__in=chosen).update(public=True)
        bump(actual)
        audit.event(
            actor,
            "livelihood.actual.photos_published",
            actual,
            actual.indicator.project.responsible_id,
            after={"photos": sorted(chosen)},
        )
    return actual


def _snapshot(indicator: Indicator) -> dict[str, Any]:
    return {
        "name": indicator.name,
        "unit": indicator.unit,
        "target": str(indicator.target),
        "plan": dict(indicator.plan),
    }


def parse_plan(text: str) -> dict[str, str]:
    """ "3:100, 6:300, 12:600" → {"3": "100", …}: cumulative and not decreasing."""
    plan: dict[str, str] = {}
    for part in (text or "").replace("，", ",").replace("：", ":").split(","):
        if not part.strip():
            continue
        try:
            month, value = (x.strip() for x in part.split(":"))
            m, v = int(month), Decimal(value)
        except (ValueError, ArithmeticError):
            raise fail(
                _("月度计划应写成“月:累计值”，以逗号分隔，例如 3:100, 6:300。"), "plan"
            ) from None
        if not 1 <= m <= 12 or v < 0:
            raise fail(_("月度计划的月份应为 1 至 12，累计值不能为负。"), "plan")
        plan[str(m)] = str(v)
    values = [Decimal(plan[k]) for k in sorted(plan, key=int)]
    if any(b < a for a, b in pairwise(values)):
        raise fail(_("月度计划是累计值，后一个月不能少于前一个月。"), "plan")
    return plan


def indicator_change(
    actor: Actor,
    *,
    indicator_id: int,
    decision: str,
    reason: str,
    target: Decimal | None = None,
    unit: str = "",
    plan: str = "",
    version: int | None = None,
) -> Indicator:
    """An indicator voted by the deputies changes only on a recorded decision (决定文号 and
    reason); the change is kept with what it was before."""
    with transaction.atomic():
        indicator = (
            Indicator.objects.select_for_update().select_related("project").get(pk=indicator_id)
        )
        access.require(actor, "livelihood.project.manage", indicator)
        check_version(indicator, version)
        if not (decision or "").strip():
            raise fail(_("指标经代表票决确定，调整须有常委会的决定，请填写决定文号。"), "decision")
        if not (reason or "").strip():
            raise fail(_("请写明调整理由。"), "reason")
        before = _snapshot(indicator)
        if target is not None:
            if target <= 0:
                raise fail(_("目标值应大于 0。"), "target")
            indicator.target = target
        if unit.strip():
            indicator.unit = unit.strip()[:20]
        if plan.strip():
            indicator.plan = parse_plan(plan)
        after = _snapshot(indicator)
        if after == before:
            raise fail(_("没有需要调整的内容。"), "target")
        IndicatorChange.objects.create(
            indicator=indicator,
            decision=decision.strip()[:100],
            reason=reason.strip(),
            before=before,
            after=after,
            changed_by=actor.user,
            changed_at=timezone.now(),
        )
        bump(indicator, "target", "unit", "plan")
        audit.event(
            actor,
            "livelihood.indicator.changed",
            indicator,
            indicator.project.responsible_id,
            before=before,
            after={**after, "decision": decision.strip()},
        )
    return indicator
