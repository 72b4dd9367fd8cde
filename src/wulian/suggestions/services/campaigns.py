"""Campaign opinions (三进三促): campaigns, opinions registered, assigned and completed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.errors import (
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import Organisation, Person
from wulian.core.notifications import outbox
from wulian.core.selectors import users_holding
from wulian.suggestions.choices import (
    CampaignState,
    OpinionState,
)
from wulian.suggestions.models import (
    Campaign,
    CampaignOpinion,
)
from wulian.suggestions.policies import (
    congress_org_ids,
)
from wulian.suggestions.services._common import (
    MAX_NOTE,
    _digest,
    _fail,
    _found,
    _handling_unit,
    _locked,
    _text,
    _users_of_people,
)

# --- Campaign opinions (三进三促) -----------------------------------------------------------------


def campaign_create(*, actor: Actor, data: dict[str, Any]) -> Campaign:
    """A campaign in which deputies collect opinions, organised by the actor's office."""
    actor = access.require(actor, "suggestions.campaign.manage")
    errors: dict[str, list[str]] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = [_("请填写活动名称，如“三进三促”。")]
    elif len(name) > 120:
        errors["name"] = [_("活动名称不能超过 120 个字。")]
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if not isinstance(starts_on, date):
        errors["starts_on"] = [_("请填写开始日期。")]
    elif isinstance(ends_on, date) and ends_on < starts_on:
        errors["ends_on"] = [_("结束日期不能早于开始日期。")]
    organiser = Organisation.objects.filter(pk=data.get("organiser_id"), is_active=True).first()
    if organiser is None or organiser.pk not in congress_org_ids(actor):
        errors["organiser"] = [_("请选择您任职的人大机关作为组织单位。")]
    year = data.get("year") or (starts_on.year if isinstance(starts_on, date) else None)
    if name and year and Campaign.objects.filter(name=name, year=year).exists():
        errors["name"] = [_("该年度已有同名活动。")]
    if errors:
        raise ValidationFailed(_("活动未保存，请按提示更正。"), field_errors=errors)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=name,
            year=year,
            organiser=organiser,
            starts_on=starts_on,
            ends_on=ends_on,
            description=(data.get("description") or "").strip(),
            created_by=actor.user,
        )
        audit.event(
            actor,
            "suggestions.campaign.created",
            campaign,
            organiser.pk,
            after={"name": name, "year": year, "starts_on": starts_on, "ends_on": ends_on},
        )
    return campaign


def opinion_register(*, actor: Actor, campaign_id: int, data: dict[str, Any]) -> CampaignOpinion:
    """Register an opinion collected in a campaign: a deputy their own, congress staff for a
    deputy. `data`: content, collected_on, place, collected_by_id (staff only)."""
    actor = access.require(actor, "suggestions.opinion.register")
    errors: dict[str, list[str]] = {}
    content = ""
    try:
        content = _text(data.get("content"), "content", _("意见内容"), limit=MAX_NOTE)
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
    collected_on = data.get("collected_on")
    if not isinstance(collected_on, date):
        errors["collected_on"] = [_("请填写收集日期。")]
    elif collected_on > timezone.localdate():
        errors["collected_on"] = [_("收集日期不能晚于今天。")]
    staff = bool(congress_org_ids(actor))
    person_id = data.get("collected_by_id") if staff else actor.person_id
    deputy = Person.objects.filter(pk=person_id, is_active=True).first() if person_id else None
    if deputy is None:
        errors["collected_by"] = [_("请选择收集意见的代表。")]
    place = (data.get("place") or "").strip()[:120]
    if errors:
        raise ValidationFailed(_("意见未登记，请按提示更正。"), field_errors=errors)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if campaign is None:
            raise ValidationFailed(_("活动不存在。"))
        if campaign.state != CampaignState.OPEN:
            raise TransitionNotAllowed(_("该活动已结束，不能再登记意见。"))
        if isinstance(collected_on, date) and collected_on < campaign.starts_on:
            raise _fail(_("收集日期不能早于活动开始日期。"), "collected_on")
        last = CampaignOpinion.objects.filter(campaign=campaign).aggregate(m=Max("number"))["m"]
        opinion = CampaignOpinion.objects.create(
            campaign=campaign,
            number=(last or 0) + 1,
            content=content,
            collected_by=deputy,
            collected_on=collected_on,
            place=place,
            registered_by=actor.user,
            registered_at=timezone.now(),
        )
        audit.event(
            actor,
            "suggestions.opinion.registered",
            opinion,
            campaign.organiser_id,
            after={
                "campaign": campaign.pk,
                "number": opinion.number,
                "collected_by": deputy.pk,
                "state": opinion.state,
                "content_sm3": _digest(content),
            },
        )
    return opinion


def _lock_opinion(opinion_id: int, version: int) -> CampaignOpinion:
    return _locked(
        CampaignOpinion.objects.select_for_update(),
        opinion_id,
        version,
        missing=_("意见不存在。"),
        stale=_("该意见已被他人处理，您的操作未执行。请刷新页面后再操作。"),
    )


def opinion_assign(*, actor: Actor, opinion_id: int, version: int, unit_id: int) -> CampaignOpinion:
    """Congress staff assign a registered opinion to a handling unit (or re-assign it)."""
    actor = access.require(actor, "suggestions.campaign.manage")
    unit = _handling_unit(unit_id, "unit")
    with transaction.atomic():
        opinion = _lock_opinion(opinion_id, version)
        if opinion.state == OpinionState.COMPLETED:
            raise TransitionNotAllowed(_("该意见已办结，不能再交办。"))
        before = {"state": opinion.state, "unit": opinion.unit_id}
        versioned.save(
            opinion,
            state=OpinionState.ASSIGNED,
            unit=unit,
            assigned_at=timezone.now(),
            assigned_by=actor.user,
        )
        outbox.announce(
            actor,
            "suggestions.opinion.assigned",
            opinion,
            unit.pk,
            before=before,
            after={"state": opinion.state, "unit": unit.pk},
            recipients=users_holding([unit.pk]),
            title=_("收到交办的代表收集意见（%(c)s 第 %(n)d 号）")
            % {"c": opinion.campaign.name, "n": opinion.number},
            dedupe=f"campaign-opinion:{opinion.pk}:assigned:{opinion.version}",
        )
    return opinion


def opinion_complete(
    *, actor: Actor, opinion_id: int, version: int, result: str
) -> CampaignOpinion:
    """The assigned unit completes the opinion with its result (办结)."""
    opinion = _found(CampaignOpinion.objects.all(), opinion_id, _("意见不存在。"))
    actor = access.require(actor, "suggestions.opinion.complete", opinion)
    result = _text(result, "result", _("办理结果"), limit=MAX_NOTE)
    with transaction.atomic():
        opinion = _lock_opinion(opinion_id, version)
        if opinion.state != OpinionState.ASSIGNED:
            raise TransitionNotAllowed(
                _("该意见当前为“%(state)s”，不能办结。") % {"state": opinion.get_state_display()}
            )
        versioned.save(
            opinion,
            state=OpinionState.COMPLETED,
            result=result,
            completed_at=timezone.now(),
            completed_by=actor.user,
        )
        outbox.announce(
            actor,
            "suggestions.opinion.completed",
            opinion,
            opinion.unit_id,
            before={"state": OpinionState.ASSIGNED},
            after={"state": opinion.state, "result_sm3": _digest(result)},
            recipients=_users_of_people([opinion.collected_by_id]),
            title=_("您收集的意见（%(c)s 第 %(n)d 号）已办结")
            % {"c": opinion.campaign.name, "n": opinion.number},
            dedupe=f"campaign-opinion:{opinion.pk}:completed",
        )
    return opinion
