"""Joint analyses (联合研判): start one, name the analysts of both sides, issue the report."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.consultation.choices import SIDE_KINDS, AnalysisState, AnalysisSubject, side_of_kind
from wulian.consultation.models import Analysis, Analyst, Matter
from wulian.consultation.policies import manager_org_ids, sees_matter
from wulian.consultation.services._common import fail, snapshot, stale
from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.errors import TransitionNotAllowed, ValidationFailed
from wulian.core.models import Membership, Organisation
from wulian.core.notifications import outbox
from wulian.core.selectors import users_holding
from wulian.core.servicekit import get

FIELDS = ("title", "subject", "year", "state")


def _get(analysis_id: int) -> Analysis:
    return get(Analysis, analysis_id, _("联合研判不存在或已被删除。"))


def _locked(analysis_id: int, version: int | None = None) -> Analysis:
    analysis = Analysis.objects.select_for_update().get(pk=analysis_id)
    if version is not None and analysis.version != version:
        raise stale()
    return analysis


def analysis_create(*, actor: Actor, data: dict[str, Any]) -> Analysis:
    """Start a joint analysis led by one of the actor's organisations with a partner on the
    other side."""
    actor = access.require(actor, "consultation.analysis.create")
    errors: dict[str, list[str]] = {}
    title = (data.get("title") or "").strip()
    if not title or len(title) > 200:
        errors["title"] = [_("请填写研判名称（不超过 200 个字）。")]
    subject = data.get("subject") or ""
    if subject not in AnalysisSubject.values:
        errors["subject"] = [_("请选择研判领域：预决算、国有资产或审计监督。")]
    try:
        year = int(data.get("year") or 0)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        errors["year"] = [_("请填写四位数年度，例如 2024。")]
    lead = Organisation.objects.filter(pk=data.get("lead_org_id"), is_active=True).first()
    if lead is None or lead.pk not in manager_org_ids(actor):
        errors["lead_org"] = [
            _("请选择您任职（工作人员或负责人）的人大或纪委监委单位作为牵头单位。")
        ]
    partner = Organisation.objects.filter(pk=data.get("partner_org_id"), is_active=True).first()
    lead_side = side_of_kind(lead.kind) if lead else None
    if partner is None or side_of_kind(partner.kind) in (None, lead_side):
        errors["partner_org"] = [_("请选择另一方（人大或纪委监委）的单位作为协同单位。")]
    matter = None
    if data.get("matter_id"):
        matter = Matter.objects.filter(pk=data["matter_id"]).first()
        if matter is None or not sees_matter(actor, matter):
            errors["matter"] = [_("所选重大事项不存在或您无权查看。")]
    if errors:
        raise ValidationFailed(_("联合研判未保存，请按提示更正。"), field_errors=errors)
    with transaction.atomic():
        analysis = Analysis(
            title=title,
            subject=subject,
            year=year,
            lead_org=lead,
            partner_org=partner,
            matter=matter,
            created_by=actor.user,
        )
        analysis.save(force_insert=True)
        outbox.announce(
            actor,
            "consultation.analysis.created",
            analysis,
            lead.pk,
            after={
                **snapshot(analysis, FIELDS),
                "lead_org": lead.pk,
                "partner_org": partner.pk,
                "matter": matter.pk if matter else None,
            },
            recipients=users_holding([partner.pk], roles=("staff", "leader")),
            title=_("联合研判：%(t)s，请指定本方研判人员") % {"t": title},
            dedupe=f"consultation.analysis:{analysis.pk}:created",
        )
    return analysis


def analyst_add(*, actor: Actor, analysis_id: int, person_id: int) -> Analyst:
    """Name an analyst: a person in office at the lead or the partner organisation, or at
    another organisation of either side."""
    actor = access.require(actor, "consultation.analysis.manage", _get(analysis_id))
    kinds = SIDE_KINDS["congress"] | SIDE_KINDS["cdi"]
    seat = (
        Membership.objects.filter(
            person_id=person_id,
            is_active=True,
            person__is_active=True,
            organisation__is_active=True,
            organisation__kind__in=sorted(kinds),
        )
        .select_related("person", "organisation")
        .order_by("id")
        .first()
    )
    if seat is None:
        raise fail(_("研判人员须为人大或纪委监委一方的在职人员。"), "person")
    with transaction.atomic():
        analysis = _locked(analysis_id)
        row = Analyst(analysis=analysis, person=seat.person, organisation=seat.organisation)
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            raise fail(
                _("%(n)s 已是本次研判的研判人员。") % {"n": seat.person.name}, "person"
            ) from None
        audit.event(
            actor,
            "consultation.analysis.analyst_added",
            analysis,
            analysis.lead_org_id,
            after={"person": seat.person_id, "organisation": seat.organisation_id},
        )
    return row


def analysis_report(*, actor: Actor, analysis_id: int, version: int, report: str) -> Analysis:
    """Issue the 研判报告 (its text; the .docx is made from it at each download). Once issued
    it is not changed: a correction is a new analysis."""
    actor = access.require(actor, "consultation.analysis.manage", _get(analysis_id))
    text = (report or "").strip()
    if not text:
        raise fail(_("请填写研判报告正文。"), "report")
    if len(text) > 20000:
        raise fail(_("研判报告不能超过 20000 个字。"), "report")
    with transaction.atomic():
        analysis = _locked(analysis_id, version)
        if analysis.state != AnalysisState.OPEN:
            raise TransitionNotAllowed(_("研判报告已出具，不能再次出具。"))
        if not analysis.items.exists():
            raise fail(_("请先导入审计整改清单或预算执行数据，再出具研判报告。"), "report")
        versioned.save(
            analysis, report=text, state=AnalysisState.REPORTED, reported_at=timezone.now()
        )
        outbox.announce(
            actor,
            "consultation.analysis.reported",
            analysis,
            analysis.lead_org_id,
            before={"state": AnalysisState.OPEN},
            after={"state": analysis.state, "report_chars": len(text)},
            recipients=users_holding(
                [analysis.lead_org_id, analysis.partner_org_id], roles=("leader",)
            ),
            title=_("研判报告已出具：%(t)s") % {"t": analysis.title},
            dedupe=f"consultation.analysis:{analysis.pk}:reported",
        )
    return analysis
