"""The sealed draw of reviewers (HR-1, `wulian.judicial.draw`; docs/adr/0008-sealed-draw.md).

1. `draw_freeze` — the organiser freezes eligibility: the pool as it stands (a pool version),
   the batch's cases and rules; each exclusion recorded with its rule. An impossible quota is
   refused with the engine's explanation (which quota, after which exclusions); nothing is
   saved and nothing random has happened. The manifest's hash goes into the audit chain.
2. `draw_commit` — the server draws its secret (stored encrypted) and records its SM3, the
   commitment, in the audit chain.
3. `draw_enter_input` — the stationed group's witness and a second person (the organiser's
   staff) each enter their own dice. Refused before the commitment exists, and after the run.
4. `draw_run` — the organiser reveals: seed = SM3(protocol, manifest hash, secret, inputs);
   the engine ranks and fills the panels; the result is sealed (stored encrypted), its hash and
   the seed go into the audit chain; the drawn experts are invited, without case details.
5. `invitation_accept` / `invitation_decline` — a decline brings in the next reserve of the
   same category (`draw.substitute`), never a new seed.
6. `draw_abort_request` → `draw_abort_confirm` / `draw_abort_refuse` — a draw that cannot go
   on is aborted on two signatures: the organiser asks, with the reason; the batch's witness
   (the group member who entered the witness's dice, once he has) confirms — from then on it
   is aborted and the batch's next draw names it — or refuses with a note, and the draw goes
   on. Until then the draw is live and its next steps wait.

A draw id (抽取编号) is used once: a draw asking for one already used is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.errors import AccessDenied, RuleViolation, TransitionNotAllowed, ValidationFailed
from wulian.core.models import AuditEvent, Membership, Person
from wulian.core.notifications import outbox
from wulian.core.selectors import users_holding
from wulian.judicial import draw as engine
from wulian.judicial.choices import (
    BatchState,
    DrawState,
    InvitationState,
    WitnessRole,
)
from wulian.judicial.models import (
    Draw,
    Expert,
    Invitation,
    PanelSeat,
    ReviewBatch,
    WitnessInput,
)
from wulian.judicial.policies import DESK_ROLES, witness_desk
from wulian.judicial.services._common import fail, get, lock, text
from wulian.judicial.services.pool import engine_experts, pool_version_for

MAX_CODE = 64


# --- The engine's view of a batch ---------------------------------------------------------


def engine_rules(batch: ReviewBatch) -> engine.Rules:
    return engine.Rules(
        reviewers_per_case=batch.reviewers_per_case,
        minimums={k: int(v) for k, v in (batch.minimums or {}).items() if int(v) > 0},
        reserves_per_category=batch.reserves_per_category,
        max_cases_per_expert=batch.max_cases_per_expert,
        year_cap=batch.year_cap,
    )


def engine_cases(batch: ReviewBatch) -> list[engine.CaseItem]:
    return [
        engine.CaseItem(
            ref=case.ref,
            parties=frozenset(p["name"] for p in case.parties),
            lawyers=frozenset(lw["name"] for lw in case.lawyers),
            firms=frozenset(lw["firm"] for lw in case.lawyers if lw.get("firm")),
            judges=frozenset(case.judges),
        )
        for case in batch.cases.order_by("id")
    ]


def manifest_of(d: Draw) -> engine.Manifest:
    return engine.Manifest.from_json(d.manifest)


def result_of(d: Draw) -> engine.Result:
    return engine.Result.from_json(d.result)


def _experts_by_ref(refs: set[str]) -> dict[str, Expert]:
    ids = [int(r[1:]) for r in refs if r.startswith("E") and r[1:].isdecimal()]
    experts = Expert.objects.select_related("profile__person__user").filter(pk__in=ids)
    return {e.ref: e for e in experts}


def _default_code(batch: ReviewBatch) -> str:
    n = Draw.objects.filter(batch=batch).count() + 1
    code = f"HR1-{batch.year}-{batch.pk:04d}-{n:02d}"
    while Draw.objects.filter(code=code).exists():
        n += 1
        code = f"HR1-{batch.year}-{batch.pk:04d}-{n:02d}"
    return code


def _reused(code: str) -> ValidationFailed:
    message = _(
        "抽取编号 %(c)s 已经使用过，不能重复使用：每次抽取（包括作废后的重新抽取）须使用新的编号。"
    ) % {"c": code}
    return ValidationFailed(message, field_errors={"code": [message]})


# --- 1. Freeze ----------------------------------------------------------------------------


def draw_freeze(*, actor: Actor, batch_id: int, version: int, code: str = "") -> Draw:
    """Freeze eligibility for the batch's draw. Refused (nothing saved) when a quota cannot be
    met; the message names the quota and the exclusions behind it."""
    batch = get(ReviewBatch, batch_id, _("评查批次不存在。"))
    actor = access.require(actor, "judicial.batch.manage", batch)
    code = str(code or "").strip()
    if len(code) > MAX_CODE:
        raise fail(_("抽取编号不能超过 %(n)d 个字符。") % {"n": MAX_CODE}, "code")
    with transaction.atomic():
        batch = lock(ReviewBatch, batch_id, version)
        if batch.state not in (BatchState.PREPARING, BatchState.DRAWING):
            raise TransitionNotAllowed(_("评查已经开始，不能再抽取专家。"))
        live = Draw.objects.filter(batch=batch).exclude(state=DrawState.ABORTED).first()
        if live is not None:
            raise TransitionNotAllowed(
                _("本批次已有进行中的抽取 %(c)s；如需重新抽取，请先将其作废。") % {"c": live.code}
            )
        if not batch.cases.exists():
            raise fail(_("本批次还没有案件，请先在批次中加入备案案件。"), "cases")
        code = code or _default_code(batch)
        if Draw.objects.filter(code=code).exists():
            raise _reused(code)
        previous = (
            Draw.objects.filter(batch=batch, state=DrawState.ABORTED, replaced_by__isnull=True)
            .order_by("-id")
            .first()
        )
        experts = engine_experts(year=batch.year, recent_days=batch.recent_judge_days)
        try:
            manifest = engine.freeze(
                draw_id=code, experts=experts, cases=engine_cases(batch), rules=engine_rules(batch)
            )
        except engine.Infeasible as exc:
            messages = [p.message() for p in exc.problems]
            raise ValidationFailed(
                _("无法满足抽取规则，未进行抽取，也未保存任何内容：")
                + "；".join(messages)
                + _("。请调整规则或充实专家库后重试。"),
                field_errors={"rules": messages},
            ) from None
        except ValueError as exc:
            raise fail(str(exc), "rules") from None
        pool = pool_version_for(experts=experts, actor=actor)
        d = Draw(
            batch=batch,
            code=code,
            pool_version=pool,
            manifest=manifest.canonical().decode(),
            manifest_hash=manifest.hash,
            replaces=previous,
            created_by=actor.user,
        )
        try:
            with transaction.atomic():
                d.save(force_insert=True)
        except IntegrityError:
            raise _reused(code) from None
        if batch.state == BatchState.PREPARING:
            versioned.save(batch, state=BatchState.DRAWING)
        eligible = {cat: len(refs) for cat, refs in manifest.pool.items()}
        audit.event(
            actor,
            "judicial.draw.frozen",
            d,
            batch.organiser_org_id,
            after={
                "batch": batch.pk,
                "code": code,
                "manifest_sm3": manifest.hash,
                "pool_version": pool.number,
                "pool_hash": pool.hash,
                "cases": len(manifest.cases),
                "eligible": eligible,
                "exclusions": len(manifest.exclusions),
                "batch_cap": manifest.batch_cap,
                "replaces": previous.code if previous else None,
            },
        )
    return d


# --- 2. Commit ----------------------------------------------------------------------------


def _draw(draw_id: int) -> Draw:
    d = Draw.objects.select_related("batch").filter(pk=draw_id).first()
    if d is None:
        raise ValidationFailed(_("抽取记录不存在。"))
    return d


def _lock_draw(draw_id: int, version: int | None) -> Draw:
    return lock(Draw, draw_id, version, "batch")


def draw_commit(*, actor: Actor, draw_id: int, version: int) -> Draw:
    """The server draws its secret and commits to it (SM3) before any witness input."""
    actor = access.require(actor, "judicial.batch.manage", _draw(draw_id).batch)
    with transaction.atomic():
        d = _lock_draw(draw_id, version)
        if d.state != DrawState.FROZEN:
            raise TransitionNotAllowed(
                _("该抽取当前为“%(s)s”，不能再承诺随机数。") % {"s": d.get_state_display()}
            )
        refuse_while_abort_pending(d)
        secret = engine.new_secret()
        versioned.save(
            d,
            secret=secret.hex(),
            commitment=engine.commitment(secret),
            committed_at=timezone.now(),
            state=DrawState.COMMITTED,
        )
        audit.event(
            actor,
            "judicial.draw.committed",
            d,
            d.batch.organiser_org_id,
            before={"state": DrawState.FROZEN},
            after={"state": d.state, "commitment": d.commitment, "manifest_sm3": d.manifest_hash},
        )
    return d


# --- 3. Witness inputs --------------------------------------------------------------------


def draw_enter_input(*, actor: Actor, draw_id: int, value: str) -> WitnessInput:
    """A witness enters his dice. The stationed group's member enters as the witness, the
    organiser's staff as the second person; each once."""
    d = _draw(draw_id)
    actor = access.require(actor, "judicial.draw.witness", d)
    if actor.person_id is None:
        raise fail(_("您的账号未关联人员信息，不能作为见证人录入。"))
    try:
        digits = engine.check_witness_input(value)
    except ValueError as exc:
        raise fail(str(exc), "value") from None
    with transaction.atomic():
        d = _lock_draw(draw_id, None)
        if d.state == DrawState.FROZEN:
            raise TransitionNotAllowed(
                _(
                    "服务器尚未承诺随机数，现在不能录入见证随机数：请等组织单位完成“承诺随机数”后再录入。"
                )
            )
        if d.state != DrawState.COMMITTED:
            raise TransitionNotAllowed(
                _("该抽取当前为“%(s)s”，不能再录入随机数。") % {"s": d.get_state_display()}
            )
        refuse_while_abort_pending(d)
        batch = d.batch
        if batch.witness_org_id in witness_desk(actor):
            role, org_id = WitnessRole.WITNESS, batch.witness_org_id
        else:
            role, org_id = WitnessRole.SECOND, batch.organiser_org_id
        if d.inputs.filter(person_id=actor.person_id).exists():
            raise TransitionNotAllowed(_("您已经录入过随机数，每人只能录入一次。"))
        if d.inputs.filter(role=role).exists():
            raise TransitionNotAllowed(
                _("“%(r)s”的随机数已经录入。") % {"r": WitnessRole(role).label}
            )
        entry = WitnessInput(
            draw=d,
            user=actor.user,
            person_id=actor.person_id,
            organisation_id=org_id,
            role=role,
            value=digits,
        )
        entry.save(force_insert=True)
        audit.event(
            actor,
            "judicial.draw.input_entered",
            d,
            org_id,
            after={"role": role, "value": digits, "commitment": d.commitment},
        )
    return entry


# --- 4. Run and seal ----------------------------------------------------------------------


def _invite(d: Draw, experts: list[Expert], occurrence: str) -> list[Invitation]:
    existing = set(Invitation.objects.filter(draw=d).values_list("expert_id", flat=True))
    created = []
    for expert in experts:
        if expert.pk in existing:
            continue
        inv = Invitation(draw=d, expert=expert)
        inv.save(force_insert=True)
        created.append(inv)
        user = expert.profile.person.user
        if user is not None:
            outbox.enqueue(
                kind="judicial.draw.sealed",
                recipients=[user],
                # No case, no court, no party: only that a review needs an answer.
                title=_("您被随机抽取为案件质量评查专家，请登录确认是否参加"),
                url=inv.get_absolute_url(),
                dedupe=f"judicial:invitation:{inv.pk}:{occurrence}",
            )
    return created


def draw_run(*, actor: Actor, draw_id: int, version: int) -> Draw:
    """Reveal the secret, compute the seed from the manifest hash, the secret and the witness
    inputs, run the engine and seal the result; invite the drawn experts."""
    actor = access.require(actor, "judicial.batch.manage", _draw(draw_id).batch)
    with transaction.atomic():
        d = _lock_draw(draw_id, version)
        if d.state != DrawState.COMMITTED:
            raise TransitionNotAllowed(
                _("该抽取当前为“%(s)s”，不能抽取。") % {"s": d.get_state_display()}
            )
        refuse_while_abort_pending(d)
        inputs = list(d.inputs.order_by("id"))
        roles = {i.role for i in inputs}
        if WitnessRole.WITNESS not in roles:
            raise TransitionNotAllowed(_("纪检监察组见证人尚未录入随机数，不能抽取。"))
        if WitnessRole.SECOND not in roles:
            raise TransitionNotAllowed(_("第二输入人尚未录入随机数，不能抽取。"))
        manifest = manifest_of(d)
        seed = engine.seed(
            manifest_hash=d.manifest_hash,
            secret=bytes.fromhex(d.secret),
            witness_inputs=[i.value for i in inputs],
        )
        result = engine.run(manifest, seed)
        versioned.save(
            d,
            seed=seed.hex(),
            result=result.canonical().decode(),
            result_hash=result.hash,
            current_hash=result.hash,
            run_at=timezone.now(),
            state=DrawState.SEALED,
        )
        members = {ref for panel in result.panels for ref in panel.members}
        by_ref = _experts_by_ref(members)
        audit.event(
            actor,
            "judicial.draw.sealed",
            d,
            d.batch.organiser_org_id,
            before={"state": DrawState.COMMITTED},
            after={
                "state": d.state,
                "manifest_sm3": d.manifest_hash,
                "commitment": d.commitment,
                "witness_inputs": [i.value for i in inputs],
                "seed": d.seed,
                "result_sm3": d.result_hash,
                "invited": len(members),
            },
        )
        _invite(d, [by_ref[r] for r in sorted(members)], "sealed")
    return d


# --- 5. Answers of the experts ------------------------------------------------------------


def _invitation(invitation_id: int) -> Invitation:
    inv = (
        Invitation.objects.select_related("expert__profile", "draw__batch")
        .filter(pk=invitation_id)
        .first()
    )
    if inv is None:
        raise ValidationFailed(_("邀请不存在。"))
    return inv


def _by_expert(actor: Actor, inv: Invitation) -> bool:
    """False when the organiser recorded an answer the expert gave by telephone."""
    return actor.person_id == inv.expert.profile.person_id


def _check_open(inv: Invitation) -> None:
    if inv.draw.state != DrawState.SEALED or inv.draw.batch.state != BatchState.DRAWING:
        raise TransitionNotAllowed(_("该邀请已失效（抽取已作废或评查已开始）。"))
    if inv.state != InvitationState.INVITED:
        raise TransitionNotAllowed(
            _("您已答复过该邀请（%(s)s）。") % {"s": inv.get_state_display()}
        )


def invitation_accept(*, actor: Actor, invitation_id: int, version: int) -> Invitation:
    """The expert accepts (or the organiser records his acceptance given by telephone)."""
    actor = access.require(actor, "judicial.invitation.respond", _invitation(invitation_id))
    with transaction.atomic():
        lock(Draw, _invitation(invitation_id).draw_id, None)
        inv = lock(Invitation, invitation_id, version, "draw__batch")
        _check_open(inv)
        versioned.save(inv, state=InvitationState.ACCEPTED, responded_at=timezone.now())
        audit.event(
            actor,
            "judicial.invitation.accepted",
            inv,
            before={"state": InvitationState.INVITED},
            after={"state": inv.state, "draw": inv.draw.code, "by_expert": _by_expert(actor, inv)},
        )
    # Whom the step's message addresses: the expert himself, or the organiser who recorded it.
    inv.answered_by_expert = _by_expert(actor, inv)
    return inv


def invitation_decline(
    *, actor: Actor, invitation_id: int, version: int, reason: str = ""
) -> Invitation:
    """The expert declines: on every case where he was drawn, the next reserve of his category
    takes his seat (never a new seed); reserves who declined before are passed over. When a
    category's reserves run out, the decline is refused: the organiser aborts the draw and
    draws again."""
    actor = access.require(actor, "judicial.invitation.respond", _invitation(invitation_id))
    reason = text(reason, "reason", _("谢绝理由"), required=False, limit=500)
    with transaction.atomic():
        d = _lock_draw(_invitation(invitation_id).draw_id, None)
        inv = lock(Invitation, invitation_id, version, "draw__batch", "expert")
        _check_open(inv)
        declined = set(
            Invitation.objects.filter(draw=d, state=InvitationState.DECLINED).values_list(
                "expert_id", flat=True
            )
        )
        declined_refs = {f"E{pk:04d}" for pk in declined} | {inv.expert.ref}
        result = result_of(d)
        brought_in: list[str] = []
        try:
            for panel in result.panels:
                gone = inv.expert.ref
                while gone in result.panel(panel.case_ref).members:
                    result, replacement = engine.substitute(
                        result, case_ref=panel.case_ref, declined=gone
                    )
                    gone = replacement if replacement in declined_refs else ""
                    if not gone:
                        brought_in.append(replacement)
        except engine.ReservesExhausted as exc:
            raise TransitionNotAllowed(
                str(exc) + _("。请通知组织单位作废本次抽取并重新抽取。")
            ) from None
        versioned.save(d, result=result.canonical().decode(), current_hash=result.hash)
        versioned.save(
            inv, state=InvitationState.DECLINED, responded_at=timezone.now(), decline_reason=reason
        )
        by_ref = _experts_by_ref(set(brought_in))
        new = _invite(d, [by_ref[r] for r in dict.fromkeys(brought_in)], f"sub:{d.version}")
        audit.event(
            actor,
            "judicial.invitation.declined",
            inv,
            before={"state": InvitationState.INVITED},
            after={
                "state": inv.state,
                "draw": d.code,
                "by_expert": _by_expert(actor, inv),
                "substitutions": len(result.substitutions),
                "invited": len(new),
                "result_sm3": d.current_hash,
            },
        )
    inv.answered_by_expert = _by_expert(actor, inv)
    return inv


# --- 6. Abort: the organiser asks, the witness co-signs ----------------------------------


def refuse_while_abort_pending(d: Draw) -> None:
    """Steps that move a draw on (commit, dice, run, opening the review) wait while an abort
    request waits for the witness."""
    if d.abort_pending:
        raise TransitionNotAllowed(
            _("该抽取已申请作废，正等待见证人确认；见证人确认或拒绝之前，抽取不能继续。")
        )


def draw_witness(d: Draw) -> WitnessInput | None:
    """The draw's own witness: the stationed group's member who entered the witness's dice,
    while he still does desk work in the batch's witness group. None before the dice (or once
    he has left the group): then any staff member or leader of the group co-signs."""
    entry = d.inputs.filter(role=WitnessRole.WITNESS).select_related("person").first()
    if entry is None:
        return None
    still_there = Membership.objects.filter(
        person_id=entry.person_id,
        organisation_id=d.batch.witness_org_id,
        role__in=sorted(DESK_ROLES),
        is_active=True,
    ).exists()
    return entry if still_there else None


def _require_cosigner(actor: Actor, d: Draw) -> access.Actor:
    actor = access.as_actor(actor)
    if not access.can(actor, "judicial.draw.cosign_abort", d):
        raise AccessDenied(
            _("只有本批次的监督见证单位（%(org)s）的见证人才能确认或拒绝作废申请。")
            % {"org": d.batch.witness_org.name}
        )
    return actor


def _check_cosigner(actor: Actor, d: Draw) -> None:
    """Nobody co-signs his own request; once the witness's dice are in, he co-signs himself."""
    if d.abort_requested_by_id is not None and actor.user.pk == d.abort_requested_by_id:
        raise RuleViolation(
            _("作废申请是您本人提出的，不能由您确认或拒绝：须由本批次的见证人另行签署。")
        )
    witness = draw_witness(d)
    if witness is not None and witness.person_id != actor.person_id:
        raise AccessDenied(
            _("本次抽取的见证人是%(name)s（录入了见证随机数），作废申请须由其本人确认或拒绝。")
            % {"name": witness.person.name}
        )


def may_cosign_abort(actor: Actor, d: Draw) -> bool:
    """Whether `actor` may confirm or refuse `d`'s pending abort request (for the page)."""
    if not d.abort_pending:
        return False
    try:
        _check_cosigner(_require_cosigner(actor, d), d)
    except (AccessDenied, RuleViolation):
        return False
    return True


def _check_pending(d: Draw) -> None:
    if d.state == DrawState.ABORTED:
        raise TransitionNotAllowed(_("该抽取已作废。"))
    if not d.abort_pending:
        raise TransitionNotAllowed(
            _("该抽取没有待确认的作废申请（可能已被确认或拒绝）。请刷新页面查看。")
        )


def _abort_hashes(d: Draw) -> dict[str, Any]:
    return {"manifest_sm3": d.manifest_hash, "result_sm3": d.current_hash or None}


def _organiser_office(d: Draw, *, besides: Any) -> list[Any]:
    return [
        u
        for u in users_holding([d.batch.organiser_org_id], DESK_ROLES)
        if u.pk != getattr(besides, "pk", None)
    ]


def draw_abort_request(*, actor: Actor, draw_id: int, version: int, reason: str) -> Draw:
    """The organiser asks to abort the draw, with the reason. Nothing else changes until the
    batch's witness confirms: the draw stays live (and blocks a new one) and its next steps
    wait. The witness and the organiser's office are told."""
    actor = access.require(actor, "judicial.batch.manage", _draw(draw_id).batch)
    reason = text(reason, "reason", _("作废原因"), limit=500)
    with transaction.atomic():
        d = _lock_draw(draw_id, version)
        if d.state == DrawState.ABORTED:
            raise TransitionNotAllowed(_("该抽取已作废。"))
        if d.batch.state != BatchState.DRAWING:
            raise TransitionNotAllowed(_("评查已经开始，抽取结果不能再作废。"))
        if d.abort_pending:
            raise TransitionNotAllowed(
                _("该抽取已有待见证人确认的作废申请（原因：%(r)s），请等待见证人确认或拒绝。")
                % {"r": d.abort_reason}
            )
        versioned.save(
            d,
            abort_reason=reason,
            abort_requested_at=timezone.now(),
            abort_requested_by=actor.user,
            abort_refused_at=None,
            abort_refused_by=None,
            abort_refusal_note="",
        )
        audit.event(
            actor,
            "judicial.draw.abort_requested",
            d,
            d.batch.organiser_org_id,
            before={"state": d.state, "abort_pending": False},
            after={"state": d.state, "abort_pending": True, "reason": reason, **_abort_hashes(d)},
        )
        witness = draw_witness(d)
        outbox.enqueue(
            kind="judicial.draw.abort_requested",
            recipients=[witness.user]
            if witness
            else users_holding([d.batch.witness_org_id], DESK_ROLES),
            title=_("专家抽取 %(c)s 申请作废，请您作为见证人确认或拒绝") % {"c": d.code},
            body=_("作废原因：%(r)s") % {"r": reason},
            url=d.get_absolute_url(),
            dedupe=f"judicial:draw:{d.pk}:abort_requested:{d.version}:witness",
        )
        outbox.enqueue(
            kind="judicial.draw.abort_requested",
            recipients=_organiser_office(d, besides=actor.user),
            title=_("专家抽取 %(c)s 已申请作废，等待见证人确认") % {"c": d.code},
            body=_("作废原因：%(r)s") % {"r": reason},
            url=d.get_absolute_url(),
            dedupe=f"judicial:draw:{d.pk}:abort_requested:{d.version}:office",
        )
    return d


def draw_abort_confirm(*, actor: Actor, draw_id: int, version: int) -> Draw:
    """The witness co-signs the organiser's request: the draw is aborted for good. It stays in
    the record, its invitations lapse, and the batch's next draw names it. The organiser who
    asked and his office are told."""
    actor = _require_cosigner(actor, _draw(draw_id))
    with transaction.atomic():
        d = _lock_draw(draw_id, version)
        _check_pending(d)
        _check_cosigner(actor, d)
        before = {"state": d.state}
        versioned.save(d, state=DrawState.ABORTED, aborted_at=timezone.now(), aborted_by=actor.user)
        outbox.announce(
            actor,
            "judicial.draw.aborted",
            d,
            d.batch.witness_org_id,
            before=before,
            after={
                "state": d.state,
                "reason": d.abort_reason,
                "requested_by": d.abort_requested_by_id,
                **_abort_hashes(d),
            },
            recipients=[d.abort_requested_by, *_organiser_office(d, besides=actor.user)],
            title=_("见证人已确认作废专家抽取 %(c)s，可以重新抽取") % {"c": d.code},
            dedupe=f"judicial:draw:{d.pk}:aborted",
        )
    return d


def draw_abort_refuse(*, actor: Actor, draw_id: int, version: int, note: str) -> Draw:
    """The witness refuses the organiser's request, with a note: the draw goes on where it
    was; the organiser may ask again. The organiser who asked and his office are told."""
    actor = _require_cosigner(actor, _draw(draw_id))
    note = text(note, "note", _("不同意作废的理由"), limit=500)
    with transaction.atomic():
        d = _lock_draw(draw_id, version)
        _check_pending(d)
        _check_cosigner(actor, d)
        versioned.save(
            d, abort_refused_at=timezone.now(), abort_refused_by=actor.user, abort_refusal_note=note
        )
        outbox.announce(
            actor,
            "judicial.draw.abort_refused",
            d,
            d.batch.witness_org_id,
            before={"state": d.state, "abort_pending": True},
            after={
                "state": d.state,
                "abort_pending": False,
                "reason": d.abort_reason,
                "note": note,
                "requested_by": d.abort_requested_by_id,
            },
            recipients=[d.abort_requested_by, *_organiser_office(d, besides=actor.user)],
            title=_("见证人不同意作废专家抽取 %(c)s，抽取继续") % {"c": d.code},
            body=_("见证人的理由：%(n)s") % {"n": note},
            dedupe=f"judicial:draw:{d.pk}:abort_refused:{d.version}",
        )
    return d


# --- Reading a draw: the sealed result, the public record, verification -------------------


@dataclass(frozen=True)
class Seat:
    ref: str
    name: str
    category: str
    invitation: str  # its state ("" for a reserve never invited)
    invitation_id: int | None = None
    invitation_version: int | None = None


@dataclass(frozen=True)
class PanelView:
    case_id: int
    case_number: str
    members: list[Seat]
    reserves: dict[str, list[Seat]]


def draw_open_result(*, actor: Actor, draw_id: int) -> list[PanelView]:
    """Who sits on which case, with names: the organiser and the witness while sealed (each
    reading is an audit event), every watcher once the review is open."""
    d = _draw(draw_id)
    actor = access.require(actor, "judicial.draw.view_sealed", d)
    if not d.result:
        return []
    result = result_of(d)
    refs = {r for p in result.panels for r in (*p.members, *sum(p.reserves.values(), ()))}
    by_ref = _experts_by_ref(refs)
    invitations = {
        expert_id: (pk, state, version)
        for pk, expert_id, state, version in Invitation.objects.filter(draw=d).values_list(
            "pk", "expert_id", "state", "version"
        )
    }
    cases = {c.number: c.pk for c in d.batch.cases.only("id", "number")}

    def seat(ref: str) -> Seat:
        e = by_ref.get(ref)
        pk, state, version = invitations.get(e.pk, (None, "", None)) if e else (None, "", None)
        return Seat(
            ref=ref,
            name=e.profile.person.name if e else ref,
            category=e.profile.category if e else "",
            invitation=state,
            invitation_id=pk,
            invitation_version=version,
        )

    views = [
        PanelView(
            case_id=cases.get(p.case_ref, 0),
            case_number=p.case_ref,
            members=[seat(r) for r in p.members],
            reserves={cat: [seat(r) for r in refs] for cat, refs in p.reserves.items() if refs},
        )
        for p in result.panels
    ]
    if d.batch.state == BatchState.DRAWING and d.state == DrawState.SEALED:
        audit.event(
            actor,
            "judicial.draw.result_viewed",
            d,
            d.batch.organiser_org_id,
            after={"result_sm3": d.current_hash},
        )
    return views


def public_record(d: Draw) -> dict[str, Any]:
    """The draw's public record (draw.public_record's format) from what is stored: the
    manifest as stored, the stored hashes and seed — so that any alteration shows."""
    inputs = [i.value for i in d.inputs.order_by("id")]
    record: dict[str, Any] = {
        "format": engine.RECORD_FORMAT,
        "protocol": engine.PROTOCOL,
        "draw_id": d.code,
        "aborted_previous": d.replaces.code if d.replaces_id else None,
        "manifest": json.loads(d.manifest),
        "manifest_hash": d.manifest_hash,
        "commitment": d.commitment,
        "secret": d.secret,
        "witness_inputs": inputs,
        "seed": d.seed,
        "sealed_result_hash": d.result_hash,
        "result": json.loads(d.result) if d.result else None,
        "result_hash": d.current_hash,
        "seating": seating_record(d) if d.result else None,
        "abort": abort_record(d),
    }
    return record


# --- The abort's two signatures, as the audit chain holds them ----------------------------

ABORT_EVENTS = (
    "judicial.draw.abort_requested",
    "judicial.draw.aborted",
    "judicial.draw.abort_refused",
)


def _abort_events(d: Draw) -> dict[str, AuditEvent]:
    """The latest event of each abort step of the draw."""
    events: dict[str, AuditEvent] = {}
    for e in AuditEvent.objects.filter(
        target_type="judicial.draw", target_id=str(d.pk), action__in=ABORT_EVENTS
    ).order_by("seq"):
        events[e.action] = e
    return events


def _name(user: Any) -> str:
    if user is None:
        return ""
    person = Person.objects.filter(user=user).only("name").first()
    return person.name if person else user.get_username()


def _signature(user: Any, org: Any, at: Any, event: AuditEvent | None) -> dict[str, Any]:
    return {
        "by": _name(user),
        "organisation": org.name,
        "at": timezone.localtime(at).isoformat(timespec="seconds") if at else None,
        "audit_seq": event.seq if event else None,
        "audit_hash": event.hash if event else None,
    }


def abort_record(d: Draw) -> dict[str, Any] | None:
    """The draw's abort as the record states it: the reason, the organiser's request and the
    witness's confirmation (or refusal), each signed by a person and an audit event (its
    sequence number and chained hash). None when nobody asked to abort the draw. A draw
    aborted before the co-signature was required has its organiser's signature only
    (`confirmed` None, `state` "unconfirmed")."""
    if d.abort_requested_at is None:
        return None
    batch = d.batch
    events = _abort_events(d)
    legacy = d.state == DrawState.ABORTED and d.aborted_by_id is None
    requested = events.get("judicial.draw.aborted" if legacy else "judicial.draw.abort_requested")
    if d.state == DrawState.ABORTED:
        state = "unconfirmed" if legacy else "confirmed"
    else:
        state = "refused" if d.abort_refused_at else "pending"
    return {
        "state": state,
        "reason": d.abort_reason,
        "requested": _signature(
            d.abort_requested_by, batch.organiser_org, d.abort_requested_at, requested
        ),
        "confirmed": _signature(
            d.aborted_by, batch.witness_org, d.aborted_at, events.get("judicial.draw.aborted")
        )
        if state == "confirmed"
        else None,
        "refused": {
            **_signature(
                d.abort_refused_by,
                batch.witness_org,
                d.abort_refused_at,
                events.get("judicial.draw.abort_refused"),
            ),
            "note": d.abort_refusal_note,
        }
        if state == "refused"
        else None,
    }


def abort_line(abort: dict[str, Any] | None) -> str:
    """One line for `wulian draw verify`: the reason and both signatures."""
    if not abort:
        return ""

    def sig(s: dict[str, Any]) -> str:
        when = (s["at"] or "")[:16].replace("T", " ")
        seq = _("审计#%(n)s") % {"n": s["audit_seq"]} if s["audit_seq"] else _("审计链无记录")
        return f"{s['by']}（{s['organisation']}）{when}，{seq}"

    parts = [
        _("作废原因：%(r)s") % {"r": abort["reason"]},
        _("申请：%(s)s") % {"s": sig(abort["requested"])},
    ]
    if abort["state"] == "confirmed":
        parts.append(_("见证人确认：%(s)s") % {"s": sig(abort["confirmed"])})
    elif abort["state"] == "unconfirmed":
        parts.append(_("见证人确认：无（作废于两步作废启用之前，由组织单位单方作废）"))
    elif abort["state"] == "refused":
        parts.append(
            _("见证人拒绝：%(s)s，理由：%(n)s")
            % {"s": sig(abort["refused"]), "n": abort["refused"]["note"]}
        )
    else:
        parts.append(_("待见证人确认"))
    return "；".join(parts)


def _abort_problems(d: Draw) -> list[str]:
    """An aborted draw's reason and signatures must be those the audit chain recorded."""
    if d.abort_requested_at is None:
        return []
    problems = []
    events = _abort_events(d)
    requested = events.get("judicial.draw.abort_requested")
    aborted = events.get("judicial.draw.aborted")
    if requested is None and aborted is not None and d.aborted_by_id is None:
        # Aborted in one step before the co-signature: that event is the request.
        requested = aborted
    chain_reason = (requested.after_data or {}).get("reason") if requested else None
    if requested is None or requested.actor_id != d.abort_requested_by_id:
        problems.append(_("审计链中没有与存储相符的作废申请（申请人不符或缺少记录）"))
    elif chain_reason and chain_reason != d.abort_reason:
        problems.append(_("审计链中记录的作废原因与存储的不符"))
    if d.state == DrawState.ABORTED:
        if aborted is None:
            problems.append(_("审计链中没有作废的记录"))
        elif d.aborted_by_id is not None and aborted.actor_id != d.aborted_by_id:
            problems.append(_("审计链中记录的作废确认人与存储的不符"))
        elif d.aborted_by_id is None and aborted.actor_id != d.abort_requested_by_id:
            problems.append(_("作废缺少见证人的确认"))
    return problems


def seating_record(d: Draw) -> dict[str, Any]:
    """Who was invited and how each answered (by invitation, in order), and — once the review
    is open — who sits on which case, from the stored rows; `draw.check_seating` derives what
    they must be from the verified result. Experts by pool ref only."""
    seats: dict[str, list[str]] | None = None
    rows = list(
        PanelSeat.objects.filter(draw=d).values_list("case__number", "expert_id").order_by("id")
    )
    if rows or d.batch.state in (BatchState.REVIEWING, BatchState.CLOSED):
        seats = {}
        for number, expert_id in rows:
            seats.setdefault(number, []).append(f"E{expert_id:04d}")
    return {
        "invitations": [
            {"invitation": pk, "expert": f"E{expert_id:04d}", "state": state}
            for pk, expert_id, state in Invitation.objects.filter(draw=d)
            .order_by("id")
            .values_list("pk", "expert_id", "state")
        ],
        "seats": seats,
    }


def _chain_problems(d: Draw) -> list[str]:
    """The hashes the audit chain recorded at each step must be the stored ones."""
    problems = []
    events = {
        e.action: e.after_data or {}
        for e in AuditEvent.objects.filter(
            target_type="judicial.draw",
            target_id=str(d.pk),
            action__in=["judicial.draw.frozen", "judicial.draw.committed", "judicial.draw.sealed"],
        ).order_by("seq")
    }
    frozen, committed, sealed = (
        events.get("judicial.draw.frozen"),
        events.get("judicial.draw.committed"),
        events.get("judicial.draw.sealed"),
    )
    if frozen is None or frozen.get("manifest_sm3") != d.manifest_hash:
        problems.append(_("审计链中冻结时记录的清单哈希与存储的不符"))
    if d.commitment and (committed is None or committed.get("commitment") != d.commitment):
        problems.append(_("审计链中记录的随机数承诺与存储的不符"))
    if d.seed:
        if sealed is None or sealed.get("seed") != d.seed:
            problems.append(_("审计链中记录的种子与存储的不符"))
        elif sealed.get("result_sm3") != d.result_hash:
            problems.append(_("审计链中记录的抽取结果哈希与存储的不符"))
    return problems + _abort_problems(d)


@dataclass(frozen=True)
class Verification:
    code: str
    state: str
    ok: bool
    problems: list[str]
    ran: bool
    abort: dict[str, Any] | None = None

    def line(self) -> str:
        abort = "\t" + abort_line(self.abort) if self.abort else ""
        if not self.ran:
            status = _("未抽取（%(s)s）") % {"s": DrawState(self.state).label}
            return (
                f"{self.code}\t{'OK' if self.ok else 'FAIL'}\t{status}"
                + ("" if self.ok else "\t" + "；".join(self.problems))
                + abort
            )
        if self.ok:
            return f"{self.code}\tOK\t" + _("重算结果与记录一致") + abort
        return f"{self.code}\tFAIL\t" + "；".join(self.problems) + abort


def draw_verify_record(d: Draw) -> Verification:
    """Recompute the draw from its stored record; also check the manifest hash and the audit
    chain's hashes. Draws never run are checked for their manifest only."""
    problems = _chain_problems(d)
    ran = bool(d.seed)
    if not ran:
        try:
            recomputed = engine.Manifest.from_json(d.manifest).hash
        except ValueError as exc:
            problems.append(str(exc))
        else:
            stored = engine.sm3_hex(d.manifest.encode())
            if stored != d.manifest_hash or recomputed != d.manifest_hash:
                problems.append(_("抽取清单哈希值不符（清单在封存后被改动）"))
    else:
        problems = engine.verify_record(public_record(d)) + problems
    return Verification(
        code=d.code,
        state=d.state,
        ok=not problems,
        problems=problems,
        ran=ran,
        abort=abort_record(d),
    )


def draw_verify(*, actor: Actor, draw_id: int) -> Verification:
    """The verify page: anyone who may see the draw recomputes it from the record."""
    d = Draw.objects.select_related("batch", "replaces").filter(pk=draw_id).first()
    if d is None:
        raise ValidationFailed(_("抽取记录不存在。"))
    access.require(actor, "judicial.draw.view", d)
    return draw_verify_record(d)
