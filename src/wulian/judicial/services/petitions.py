"""Petitions about the courts' and procuratorates' handling of cases (涉法涉诉信访): registered
by the congress side, routed to the court or procuratorate with a time limit (working days,
the deadlines app), answered with an outcome, and linked to the cases under review they
concern. The petitioner's phone number is stored encrypted."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.deadlines import services as deadline_services
from wulian.core.deadlines.rules import Rule
from wulian.core.errors import ValidationFailed, next_state
from wulian.core.models import Organisation
from wulian.core.notifications import outbox
from wulian.core.selectors import users_holding
from wulian.judicial.choices import (
    DEADLINE_PETITION,
    PETITION_TRANSITIONS,
    PetitionOutcome,
    PetitionState,
    PetitionStep,
)
from wulian.judicial.models import Case, Petition
from wulian.judicial.policies import JUDICIAL_KINDS, congress_desk
from wulian.judicial.services._common import digest, fail, get, lock, text, whole


def _step(p: Petition, step: str) -> str:
    refusal = _("该信访事项当前为“%(state)s”，不能%(step)s。")
    return next_state(PETITION_TRANSITIONS, p, step, PetitionStep, refusal)


def _cases(ids: Any) -> list[Case]:
    wanted = list(dict.fromkeys(int(i) for i in ids or ()))
    cases = list(Case.objects.filter(pk__in=wanted))
    if len(cases) != len(wanted):
        raise fail(_("所选案件不存在。"), "cases")
    return cases


def petition_register(*, actor: Actor, data: dict[str, Any]) -> Petition:
    """`data`: received_on, petitioner, petitioner_phone, summary, case_number, case_ids,
    registering_org_id (default: the actor's only congress-side organisation)."""
    actor = access.require(actor, "judicial.petition.manage")
    errors: dict[str, list[str]] = {}
    received = data.get("received_on")
    if not isinstance(received, date) or received > timezone.localdate():
        errors["received_on"] = [_("请填写来信来访日期（不能晚于今天）。")]
    petitioner = str(data.get("petitioner") or "").strip()
    if not petitioner or len(petitioner) > 60:
        errors["petitioner"] = [_("请填写信访人姓名（不超过 60 个字）。")]
    phone = str(data.get("petitioner_phone") or "").strip()
    if len(phone) > 30:
        errors["petitioner_phone"] = [_("联系电话不能超过 30 个字符。")]
    summary = str(data.get("summary") or "").strip()
    if not summary:
        errors["summary"] = [_("请填写信访事项。")]
    elif len(summary) > 10_000:
        errors["summary"] = [_("信访事项不能超过 10000 个字。")]
    case_number = str(data.get("case_number") or "").strip()[:80]
    desks = congress_desk(actor)
    org_id = data.get("registering_org_id") or (next(iter(desks)) if len(desks) == 1 else None)
    org = Organisation.objects.filter(pk=org_id, is_active=True).first()
    if org is None or org.pk not in desks:
        errors["registering_org"] = [_("请选择您任职的人大机关作为登记单位。")]
    try:
        cases = _cases(data.get("case_ids"))
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
        cases = []
    if errors:
        raise ValidationFailed(_("信访事项未登记，请按提示更正。"), field_errors=errors)
    with transaction.atomic():
        p = Petition(
            registering_org=org,
            received_on=received,
            petitioner=petitioner,
            petitioner_phone=phone,
            summary=summary,
            case_number=case_number,
            registered_by=actor.user,
        )
        p.save(force_insert=True)
        p.cases.set(cases)
        audit.event(
            actor,
            "judicial.petition.registered",
            p,
            org.pk,
            after={
                "received_on": received,
                "summary_sm3": digest(summary),
                "case_number": case_number,
                "cases": sorted(c.pk for c in cases),
            },
        )
    return p


def _get(petition_id: int) -> Petition:
    return get(Petition, petition_id, _("信访事项不存在。"))


def petition_route(
    *, actor: Actor, petition_id: int, version: int, organisation_id: int, working_days: int = 15
) -> Petition:
    """Route to a court or procuratorate, with a time limit in working days."""
    actor = access.require(actor, "judicial.petition.manage", _get(petition_id))
    days = whole(working_days, "working_days", _("办理期限（工作日）"), low=1, high=90)
    org = Organisation.objects.filter(
        pk=organisation_id, is_active=True, kind__in=sorted(JUDICIAL_KINDS)
    ).first()
    if org is None:
        raise fail(_("请选择转办的法院或检察院。"), "organisation")
    with transaction.atomic():
        p = lock(Petition, petition_id, version, "registering_org")
        target = _step(p, PetitionStep.ROUTE)
        deadline = deadline_services.deadline_open(
            actor=actor,
            record=p,
            kind=DEADLINE_PETITION,
            title=_("办理涉法涉诉信访 %(n)s") % {"n": p.number},
            rule=Rule.working_days(days),
            responsible_org=org,
            assigner_org=p.registering_org,
            manage_action="judicial.petition.manage",
        )
        versioned.save(p, organisation=org, state=target, routed_at=timezone.now())
        outbox.announce(
            actor,
            "judicial.petition.routed",
            p,
            p.registering_org_id,
            before={"state": PetitionState.REGISTERED},
            after={
                "state": p.state,
                "organisation": org.pk,
                "working_days": days,
                "due_at": deadline.due_at,
            },
            recipients=users_holding([org.pk]),
            title=_("转办涉法涉诉信访 %(n)s，请在期限内办结") % {"n": p.number},
            dedupe=f"judicial:petition:{p.pk}:routed",
        )
    return p


def petition_answer(
    *, actor: Actor, petition_id: int, version: int, outcome: str, note: str
) -> Petition:
    """The court or procuratorate records the outcome; the time limit is met (or missed)."""
    actor = access.require(actor, "judicial.petition.respond", _get(petition_id))
    if outcome not in PetitionOutcome.values:
        raise fail(_("请选择办理结果。"), "outcome")
    note = text(note, "note", _("办理情况"))
    with transaction.atomic():
        p = lock(Petition, petition_id, version)
        target = _step(p, PetitionStep.ANSWER)
        versioned.save(
            p, state=target, outcome=outcome, outcome_note=note, answered_at=timezone.now()
        )
        deadline_services.meet_live(actor=actor, record=p, kind=DEADLINE_PETITION)
        outbox.announce(
            actor,
            "judicial.petition.answered",
            p,
            p.organisation_id,
            before={"state": PetitionState.ROUTED},
            after={"state": p.state, "outcome": outcome, "note_sm3": digest(note)},
            recipients=users_holding([p.registering_org_id]),
            title=_("涉法涉诉信访 %(n)s 已办结") % {"n": p.number},
            dedupe=f"judicial:petition:{p.pk}:answered",
        )
    return p


def petition_link_cases(
    *, actor: Actor, petition_id: int, version: int, case_ids: list[int]
) -> Petition:
    """Link the petition to the cases under review it concerns (replaces the links)."""
    actor = access.require(actor, "judicial.petition.manage", _get(petition_id))
    cases = _cases(case_ids)
    with transaction.atomic():
        p = lock(Petition, petition_id, version)
        before = sorted(p.cases.values_list("pk", flat=True))
        after = sorted(c.pk for c in cases)
        if before == after:
            return p
        p.cases.set(cases)
        versioned.save(p)
        audit.event(
            actor,
            "judicial.petition.cases_linked",
            p,
            p.registering_org_id,
            before={"cases": before},
            after={"cases": after},
        )
    return p
