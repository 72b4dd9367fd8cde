"""The expert pool (专家库): entries, declared conflicts, suspension, ratings, pool versions.

An entry is the core's person and expert profile (name, category, specialties, employer, law
firm) plus the pool's own record (status, availability, conflicts, ratings). A pool version is
the pool exactly as a draw saw it: the engine's expert records, canonical JSON and
`draw.pool_hash`; an identical pool reuses its version, a changed one gets the next number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.choices import ExpertCategory
from wulian.core.errors import TransitionNotAllowed, ValidationFailed
from wulian.core.models import ExpertProfile, Person
from wulian.judicial import draw
from wulian.judicial.choices import (
    Availability,
    BatchState,
    ConflictKind,
    ExpertStatus,
)
from wulian.judicial.models import (
    Case,
    Expert,
    ExpertConflict,
    ExpertRating,
    PanelSeat,
    PoolVersion,
    ReviewBatch,
)
from wulian.judicial.parsing import normalise
from wulian.judicial.services._common import fail, get, lock, text

MAX_SPECIALTIES = 10


def _snapshot(expert: Expert) -> dict[str, Any]:
    profile = expert.profile
    return {
        "person": profile.person_id,
        "category": profile.category,
        "specialties": list(profile.specialties),
        "employer": profile.employer,
        "law_firm": profile.law_firm,
        "status": expert.status,
        "availability": expert.availability,
    }


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    category = data.get("category") or ""
    if category not in ExpertCategory.values:
        errors["category"] = [_("请选择专家类别。")]
    raw = data.get("specialties") or []
    if isinstance(raw, str):
        raw = [raw]
    specialties = list(dict.fromkeys(str(s).strip() for s in raw if str(s).strip()))
    if len(specialties) > MAX_SPECIALTIES:
        errors["specialties"] = [_("专业领域最多填写 %(n)d 项。") % {"n": MAX_SPECIALTIES}]
    elif any(len(s) > 20 for s in specialties):
        errors["specialties"] = [_("每个专业领域不能超过 20 个字。")]
    values: dict[str, Any] = {"category": category, "specialties": specialties}
    for field, label in (("employer", _("工作单位")), ("law_firm", _("律师事务所"))):
        value = str(data.get(field) or "").strip()
        if len(value) > 200:
            errors[field] = [_("%(label)s不能超过 200 个字。") % {"label": label}]
        values[field] = value
    if category == ExpertCategory.LAWYER and not values["law_firm"]:
        errors["law_firm"] = [_("律师类专家请填写所在律师事务所（用于回避审查）。")]
    availability = data.get("availability") or Availability.AVAILABLE
    if availability not in Availability.values:
        errors["availability"] = [_("请选择可参加情况。")]
    values["availability"] = availability
    joined = data.get("joined_on")
    if joined is not None and not isinstance(joined, date):
        errors["joined_on"] = [_("请填写有效的入库日期。")]
    values["joined_on"] = joined
    if errors:
        raise ValidationFailed(_("专家信息未保存，请按提示更正。"), field_errors=errors)
    return values


def expert_add(*, actor: Actor, data: dict[str, Any]) -> Expert:
    """Put a person into the pool. `data`: person_id (an existing person) or name (+ title,
    phone, email) for a new one; category, specialties, employer, law_firm, availability,
    joined_on."""
    actor = access.require(actor, "judicial.expert.manage")
    values = _clean(data)
    person_id = data.get("person_id")
    with transaction.atomic():
        if person_id:
            person = Person.objects.select_for_update().filter(pk=person_id, is_active=True).first()
            if person is None:
                raise fail(_("所选人员不存在或已停用。"), "person")
            if Expert.objects.filter(profile__person=person).exists():
                raise fail(_("“%(name)s”已在专家库中。") % {"name": person.name}, "person")
        else:
            name = text(data.get("name"), "name", _("姓名"), limit=60)
            person = Person(
                name=name,
                title=str(data.get("title") or "")[:120],
                phone=str(data.get("phone") or "")[:30],
                email=str(data.get("email") or "")[:254],
            )
            person.full_clean()
            person.save(force_insert=True)
        profile, _created = ExpertProfile.objects.update_or_create(
            person=person,
            defaults={
                "category": values["category"],
                "specialties": values["specialties"],
                "employer": values["employer"],
                "law_firm": values["law_firm"],
                "is_active": True,
            },
        )
        expert = Expert(
            profile=profile,
            availability=values["availability"],
            joined_on=values["joined_on"] or timezone.localdate(),
        )
        expert.save(force_insert=True)
        audit.event(actor, "judicial.expert.added", expert, after=_snapshot(expert))
    return expert


def expert_update(*, actor: Actor, expert_id: int, version: int, data: dict[str, Any]) -> Expert:
    """Change an entry's category, specialties, employer, law firm or availability."""
    actor = access.require(
        actor, "judicial.expert.manage", get(Expert, expert_id, _("专家不存在。"))
    )
    values = _clean(data)
    with transaction.atomic():
        expert = lock(Expert, expert_id, version, "profile")
        profile = ExpertProfile.objects.select_for_update().get(pk=expert.profile_id)
        expert.profile = profile
        before = _snapshot(expert)
        for field in ("category", "specialties", "employer", "law_firm"):
            setattr(profile, field, values[field])
        expert.availability = values["availability"]
        old, new = audit.diff(before, _snapshot(expert))
        if not new:
            return expert
        profile.save(update_fields=["category", "specialties", "employer", "law_firm"])
        versioned.save(expert, "availability")
        audit.event(actor, "judicial.expert.updated", expert, before=old, after=new)
    return expert


def expert_suspend(*, actor: Actor, expert_id: int, version: int, reason: str) -> Expert:
    """Take an expert out of draws (暂停), with the reason."""
    actor = access.require(
        actor, "judicial.expert.manage", get(Expert, expert_id, _("专家不存在。"))
    )
    reason = text(reason, "reason", _("暂停原因"), limit=200)
    with transaction.atomic():
        expert = lock(Expert, expert_id, version, "profile")
        if expert.status == ExpertStatus.SUSPENDED:
            raise TransitionNotAllowed(_("该专家已暂停。"))
        versioned.save(expert, status=ExpertStatus.SUSPENDED, suspended_reason=reason)
        ExpertProfile.objects.filter(pk=expert.profile_id).update(is_active=False)
        audit.event(
            actor,
            "judicial.expert.suspended",
            expert,
            before={"status": ExpertStatus.ACTIVE},
            after={"status": expert.status, "reason": reason},
        )
    return expert


def expert_reinstate(*, actor: Actor, expert_id: int, version: int) -> Expert:
    actor = access.require(
        actor, "judicial.expert.manage", get(Expert, expert_id, _("专家不存在。"))
    )
    with transaction.atomic():
        expert = lock(Expert, expert_id, version, "profile")
        if expert.status == ExpertStatus.ACTIVE:
            raise TransitionNotAllowed(_("该专家在库，无需恢复。"))
        versioned.save(expert, status=ExpertStatus.ACTIVE, suspended_reason="")
        ExpertProfile.objects.filter(pk=expert.profile_id).update(is_active=True)
        audit.event(
            actor,
            "judicial.expert.reinstated",
            expert,
            before={"status": ExpertStatus.SUSPENDED},
            after={"status": expert.status},
        )
    return expert


def conflict_declare(*, actor: Actor, expert_id: int, data: dict[str, Any]) -> ExpertConflict:
    """Record a declared conflict. `data`: kind, counterpart (a person's or organisation's
    name) or, for a recusal, case_id; note; declared_on (default today)."""
    actor = access.require(
        actor, "judicial.expert.manage", get(Expert, expert_id, _("专家不存在。"))
    )
    kind = data.get("kind") or ""
    errors: dict[str, list[str]] = {}
    if kind not in ConflictKind.values:
        errors["kind"] = [_("请选择利害关系类型。")]
    counterpart = str(data.get("counterpart") or "").strip()
    case = None
    if kind == ConflictKind.RECUSAL:
        case = Case.objects.filter(pk=data.get("case_id")).first()
        if case is None:
            errors["case"] = [_("申请回避请选择具体案件。")]
    elif kind and not counterpart:
        errors["counterpart"] = [_("请填写关系对象的姓名或单位名称。")]
    elif len(counterpart) > 200:
        errors["counterpart"] = [_("关系对象不能超过 200 个字。")]
    note = str(data.get("note") or "").strip()
    if len(note) > 500:
        errors["note"] = [_("说明不能超过 500 个字。")]
    declared_on = data.get("declared_on") or timezone.localdate()
    if not isinstance(declared_on, date) or declared_on > timezone.localdate():
        errors["declared_on"] = [_("申报日期不能晚于今天。")]
    if errors:
        raise ValidationFailed(_("申报未保存，请按提示更正。"), field_errors=errors)
    with transaction.atomic():
        expert = lock(Expert, expert_id, None)
        conflict = ExpertConflict(
            expert=expert,
            kind=kind,
            counterpart=counterpart if case is None else "",
            case=case,
            note=note,
            declared_on=declared_on,
            created_by=actor.user,
        )
        conflict.save(force_insert=True)
        audit.event(
            actor,
            "judicial.expert.conflict_declared",
            expert,
            after={
                "conflict": conflict.pk,
                "kind": kind,
                "counterpart": conflict.counterpart,
                "case": case.pk if case else None,
            },
        )
    return conflict


def conflict_withdraw(*, actor: Actor, conflict_id: int) -> ExpertConflict:
    conflict = get(ExpertConflict, conflict_id, _("申报不存在。"))
    actor = access.require(actor, "judicial.expert.manage", conflict.expert)
    with transaction.atomic():
        conflict = ExpertConflict.objects.select_for_update().get(pk=conflict_id)
        if not conflict.is_active:
            raise TransitionNotAllowed(_("该申报已撤销。"))
        conflict.is_active = False
        conflict.save(update_fields=["is_active"])
        audit.event(
            actor,
            "judicial.expert.conflict_withdrawn",
            conflict.expert,
            before={"conflict": conflict.pk, "is_active": True},
            after={"conflict": conflict.pk, "is_active": False},
        )
    return conflict


def expert_rate(
    *, actor: Actor, expert_id: int, batch_id: int, score: int, note: str = ""
) -> ExpertRating:
    """The organiser rates an expert's work in a batch he sat in (1–5), once per batch."""
    batch = get(ReviewBatch, batch_id, _("评查批次不存在。"))
    actor = access.require(actor, "judicial.batch.manage", batch)
    if batch.state not in (BatchState.REVIEWING, BatchState.CLOSED):
        raise TransitionNotAllowed(_("评查开始后才能评价专家。"))
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise fail(_("评价请选择 1 到 5 分。"), "score")
    note = text(note, "note", _("评价意见"), required=False, limit=500)
    with transaction.atomic():
        expert = lock(Expert, expert_id, None)
        if not PanelSeat.objects.filter(expert=expert, case__batch=batch).exists():
            raise fail(_("该专家未参加本批次评查，不能评价。"), "expert")
        if ExpertRating.objects.filter(expert=expert, batch=batch).exists():
            raise TransitionNotAllowed(_("本批次已评价过该专家。"))
        rating = ExpertRating.objects.create(
            expert=expert, batch=batch, score=score, note=note, rated_by=actor.user
        )
        before = {"rating_count": expert.rating_count, "rating_total": expert.rating_total}
        expert.rating_count += 1
        expert.rating_total += score
        expert.save(update_fields=["rating_count", "rating_total", "updated_at"])
        audit.event(
            actor,
            "judicial.expert.rated",
            expert,
            batch.organiser_org_id,
            before=before,
            after={
                "batch": batch.pk,
                "score": score,
                "rating_count": expert.rating_count,
                "rating_total": expert.rating_total,
            },
        )
    return rating


# --- What the draw engine sees ------------------------------------------------------------


def engine_experts(*, year: int, now: Any = None, recent_days: int = 365) -> list[draw.Expert]:
    """Every pool entry as the draw engine's record, with what the avoidance rules read:
    firm, employer, declared relations (and the expert's own name: an expert who is a party,
    a judge or a lawyer in a case is related to it), recusals, the judges of the cases he
    reviewed in the last `recent_days`, and his number of seats in `year`'s other batches.
    A fixed number of queries, whatever the pool's size."""
    now = now or timezone.now()
    experts = list(
        Expert.objects.select_related("profile__person")
        .annotate(load=Count("seats", filter=Q(seats__case__batch__year=year)))
        .order_by("id")
    )
    relations: dict[int, set[str]] = {e.pk: {normalise(e.profile.person.name)} for e in experts}
    recusals: dict[int, set[str]] = {e.pk: set() for e in experts}
    for expert_id, kind, counterpart, case_number in ExpertConflict.objects.filter(
        is_active=True
    ).values_list("expert_id", "kind", "counterpart", "case__number"):
        if kind == ConflictKind.RECUSAL and case_number:
            recusals[expert_id].add(case_number)
        elif counterpart:
            relations[expert_id].add(normalise(counterpart))
    recent: dict[int, set[str]] = {e.pk: set() for e in experts}
    since = now - timedelta(days=recent_days)
    for expert_id, judges in PanelSeat.objects.filter(
        case__batch__review_opened_at__gte=since
    ).values_list("expert_id", "case__judges"):
        recent[expert_id].update(normalise(j) for j in judges or [])
    return [
        draw.Expert(
            ref=e.ref,
            category=e.profile.category,
            firm=normalise(e.profile.law_firm),
            employer=normalise(e.profile.employer),
            relations=frozenset(relations[e.pk]),
            recusals=frozenset(recusals[e.pk]),
            recent_judges=frozenset(recent[e.pk]),
            year_load=e.load,
            active=e.status == ExpertStatus.ACTIVE and e.availability == Availability.AVAILABLE,
        )
        for e in experts
    ]


def expert_record(expert: draw.Expert) -> dict[str, Any]:
    return {
        "ref": expert.ref,
        "category": expert.category,
        "firm": expert.firm,
        "employer": expert.employer,
        "relations": sorted(expert.relations),
        "recusals": sorted(expert.recusals),
        "recent_judges": sorted(expert.recent_judges),
        "year_load": expert.year_load,
        "active": expert.active,
    }


def pool_version_for(*, experts: Iterable[draw.Expert], actor: Actor | None = None) -> PoolVersion:
    """The pool version holding exactly these records: an existing one with the same hash,
    or the next number. Call inside a transaction."""
    experts = list(experts)
    digest = draw.pool_hash(experts)
    existing = PoolVersion.objects.filter(hash=digest).order_by("-number").first()
    if existing is not None:
        return existing
    last = PoolVersion.objects.select_for_update().order_by("-number").first()
    snapshot = json.dumps(
        [expert_record(e) for e in sorted(experts, key=lambda e: e.ref)],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return PoolVersion.objects.create(
        number=(last.number + 1) if last else 1,
        snapshot=snapshot,
        hash=digest,
        expert_count=len(experts),
        created_by=actor.user if actor is not None else None,
    )


def pool_version_create(*, actor: Actor, year: int | None = None) -> PoolVersion:
    """Record the pool as it stands (for `year`'s loads) as a version, if it changed."""
    actor = access.require(actor, "judicial.expert.manage")
    year = year or timezone.localdate().year
    with transaction.atomic():
        before = PoolVersion.objects.order_by("-number").values_list("number", flat=True).first()
        version = pool_version_for(experts=engine_experts(year=year), actor=actor)
        if version.number == before:
            return version
        audit.event(
            actor,
            "judicial.pool.versioned",
            version,
            after={"number": version.number, "hash": version.hash, "experts": version.expert_count},
        )
    return version
