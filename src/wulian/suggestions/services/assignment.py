"""The joint assignment (联交): batches proposed, confirmed or returned; the units assigned."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, records, versioned
from wulian.core.access import Actor
from wulian.core.choices import CONGRESS_SIDE
from wulian.core.deadlines import rules as deadline_rules
from wulian.core.deadlines.rules import Rule
from wulian.core.errors import (
    ConcurrentEdit,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import Organisation
from wulian.core.notifications import outbox
from wulian.core.selectors import users_holding
from wulian.suggestions import merging, selectors
from wulian.suggestions.choices import (
    DEADLINE_ASSIGN,
    DEADLINE_RECEIPT,
    DEADLINE_REPLY,
    STEP_STATES,
    AssignmentRole,
    BatchState,
    Step,
)
from wulian.suggestions.models import (
    Assignment,
    AssignmentBatch,
    Suggestion,
)
from wulian.suggestions.policies import (
    DESK_ROLES,
    assigning_org_ids,
    congress_org_ids,
    gov_office_org_ids,
)
from wulian.suggestions.services import contact_clock
from wulian.suggestions.services._common import (
    MAX_BATCH,
    MAX_CO_UNITS,
    MAX_NOTE,
    S,
    _digest,
    _fail,
    _found,
    _gov_office_users,
    _handling_unit,
    _lead_deputy_users,
    _locked,
    _meet,
    _notify,
    _open,
    _oversight_orgs,
    _snapshot,
    _stale,
    _step,
    _text,
    _title,
)
from wulian.suggestions.services.co_opinions import open_opinion_deadline

# --- Joint assignment (联交) -----------------------------------------------------------------


def _proposing_org(actor: Actor, org_id: Any) -> Organisation:
    mine = assigning_org_ids(actor)
    if org_id:
        org = Organisation.objects.filter(pk=org_id, is_active=True).first()
        if org is None or org.pk not in mine:
            raise _fail(_("请选择您任职的人大工作机构或政务督查室。"), "proposed_org")
        return org
    orgs = list(Organisation.objects.filter(pk__in=mine, is_active=True).order_by("id"))
    if len(orgs) != 1:
        raise _fail(_("请选择以哪个单位的名义拟办。"), "proposed_org")
    return orgs[0]


def batch_propose(
    *,
    actor: Actor,
    items: Sequence[dict[str, Any]],
    proposed_org_id: int | None = None,
    note: str = "",
    consultation_id: int | None = None,
) -> AssignmentBatch:
    """Prepare a joint assignment of one or many suggestions: for each, the lead unit (主办)
    and any co-units (会办). The other side (the supervision office for congress staff, and
    the other way round) confirms it.

    `items`: [{"suggestion_id", "version", "lead_unit_id", "co_unit_ids"}]."""
    actor = access.require(actor, "suggestions.suggestion.assign")
    org = _proposing_org(actor, proposed_org_id)
    note = _text(note, "note", _("交办说明"), required=False, limit=MAX_NOTE)
    if not items:
        raise _fail(_("请至少选择一件建议。"), "items")
    if len(items) > MAX_BATCH:
        raise _fail(_("一批最多交办 %(n)d 件建议。") % {"n": MAX_BATCH}, "items")
    consultation = None
    if consultation_id:
        from wulian.core.activities.models import Activity

        consultation = Activity.objects.filter(pk=consultation_id).first()
        if consultation is None or not records.can_view(actor, consultation):
            raise _fail(_("所选会商活动不存在或您无权查看。"), "consultation")
    with transaction.atomic():
        # Lock the suggestions first: two people preparing the same suggestion at once are
        # serialised, and the second sees the first's batch.
        ids = [i.get("suggestion_id") for i in items]
        suggestions = {
            s.pk: s
            for s in Suggestion.objects.select_for_update().filter(pk__in=ids).order_by("id")
        }
        return _propose_locked(actor, org, items, suggestions, note, consultation)


def _propose_locked(
    actor: Actor,
    org: Organisation,
    items: Sequence[dict[str, Any]],
    suggestions: dict[int, Suggestion],
    note: str,
    consultation: Any,
) -> AssignmentBatch:
    pending = selectors.pending_suggestion_ids()
    planned: list[dict[str, Any]] = []
    seen: set[int] = set()
    for item in items:
        s = suggestions.get(item.get("suggestion_id"))
        if s is None:
            raise _fail(_("所选建议不存在。"), "items")
        label = s.number_label
        if s.pk in seen:
            raise _fail(_("%(n)s在本批中重复。") % {"n": label}, "items")
        seen.add(s.pk)
        if s.merged_into_id is not None:
            raise RuleViolation(_("%(n)s已并案，随主办建议一并交办，不能单独交办。") % {"n": label})
        if s.status not in STEP_STATES[Step.PROPOSE]:
            raise TransitionNotAllowed(
                _("%(n)s当前为“%(state)s”，不能交办。")
                % {"n": label, "state": s.get_status_display()}
            )
        if item.get("version") is not None and int(item["version"]) != s.version:
            raise _stale()
        if s.pk in pending:
            raise RuleViolation(
                _("%(n)s已在另一批待会签的交办中，请等待会签或先退回该批。") % {"n": label}
            )
        lead = _handling_unit(item.get("lead_unit_id"), "lead_unit")
        co_ids = list(dict.fromkeys(int(i) for i in item.get("co_unit_ids") or ()))
        if lead.pk in co_ids:
            raise _fail(_("%(n)s的主办单位不能同时是会办单位。") % {"n": label}, "co_units")
        if len(co_ids) > MAX_CO_UNITS:
            raise _fail(_("会办单位不能超过 %(n)d 个。") % {"n": MAX_CO_UNITS}, "co_units")
        co = [_handling_unit(i, "co_units") for i in co_ids]
        planned.append(
            {"suggestion": s.pk, "version": s.version, "lead": lead.pk, "co": [c.pk for c in co]}
        )
    with transaction.atomic():
        batch = AssignmentBatch.objects.create(
            proposed_org=org,
            proposed_by=actor.user,
            proposed_at=timezone.now(),
            items=planned,
            note=note,
            consultation=consultation,
        )
        audit.event(
            actor,
            "suggestions.batch.proposed",
            batch,
            org.pk,
            after={
                "state": batch.state,
                "items": planned,
                "consultation": consultation.pk if consultation else None,
                "note_sm3": _digest(note),
            },
        )
        other = (
            _gov_office_users()
            if org.kind in CONGRESS_SIDE
            else users_holding(
                Organisation.objects.filter(
                    pk__in=[suggestions[i["suggestion"]].office_id for i in planned]
                ).values_list("pk", flat=True),
                DESK_ROLES,
            )
        )
        outbox.enqueue(
            kind="suggestions.batch.proposed",
            recipients=other,
            title=_("联合交办待会签：%(n)d 件代表建议") % {"n": len(planned)},
            url=batch.get_absolute_url(),
            dedupe=f"suggestion-batch:{batch.pk}:proposed",
        )
    return batch


def _lock_batch(batch_id: int, version: int) -> AssignmentBatch:
    batch = _locked(
        AssignmentBatch.objects.select_for_update(of=("self",)).select_related("proposed_org"),
        batch_id,
        version,
        missing=_("交办批次不存在。"),
        stale=_("该交办批次已被他人处理，您的操作未执行。请刷新页面后再操作。"),
    )
    if batch.state != BatchState.PROPOSED:
        raise TransitionNotAllowed(
            _("该交办批次当前为“%(state)s”，不能再会签或退回。")
            % {"state": batch.get_state_display()}
        )
    return batch


def _batch_for_rule(batch_id: int) -> AssignmentBatch:
    return _found(
        AssignmentBatch.objects.select_related("proposed_org"), batch_id, _("交办批次不存在。")
    )


def _respond_by(now: datetime) -> datetime:
    """Until when a unit assigned now may receive or send back: N working days."""
    return deadline_rules.due_at(Rule.working_days(settings.SUGGESTION_RECEIPT_WORKING_DAYS), now)


def _assign_unit(
    actor: Actor,
    s: Suggestion,
    *,
    unit: Organisation,
    role: str,
    batch_id: int,
    now: datetime,
    respond_by: datetime,
) -> Assignment:
    """One unit's assignment of a suggestion, with its receipt deadline (SUGGESTION_RECEIPT_
    WORKING_DAYS working days to receive or send back), inside the caller's transaction: the
    joint assignment (`batch_confirm`) and the replacement of a co-unit (`co_unit_replace`).
    A unit already actively assigned the suggestion is refused (RuleViolation)."""
    try:
        with transaction.atomic():
            a = Assignment.objects.create(
                suggestion=s,
                unit=unit,
                role=role,
                batch_id=batch_id,
                assigned_at=now,
                assigned_by=actor.user,
                respond_by=respond_by,
                respond_by_provisional=deadline_rules.provisional(
                    Rule.working_days(settings.SUGGESTION_RECEIPT_WORKING_DAYS), now, respond_by
                ),
            )
    except IntegrityError:
        raise RuleViolation(
            _("%(n)s已交办给该单位，不能重复交办。") % {"n": s.number_label}
        ) from None
    _open(
        actor,
        a,
        kind=DEADLINE_RECEIPT,
        title=(_("签收或退回代表建议 %(t)s") % {"t": _title(s)})[:200],
        rule=Rule.working_days(settings.SUGGESTION_RECEIPT_WORKING_DAYS),
        start=now,
        responsible_org=unit,
        assigner_org=Organisation.objects.get(pk=s.office_id),
        url=s.get_absolute_url(),
    )
    if role == AssignmentRole.CO:
        open_opinion_deadline(actor, s, a, now)
    return a


def _tell_assigned_unit(s: Suggestion, a: Assignment) -> None:
    """The assigned unit's desks are told to receive or send back (after the audit event)."""
    outbox.enqueue(
        kind="suggestions.suggestion.assigned",
        recipients=users_holding([a.unit_id]),
        title=_("收到交办的代表建议 %(t)s（%(role)s），请在 %(d)d 个工作日内签收或退回")
        % {
            "t": _title(s),
            "role": a.get_role_display(),
            "d": settings.SUGGESTION_RECEIPT_WORKING_DAYS,
        },
        url=s.get_absolute_url(),
        dedupe=f"suggestion:{s.pk}:assigned:{a.pk}",
    )


def batch_confirm(*, actor: Actor, batch_id: int, version: int) -> AssignmentBatch:
    """The other side confirms (会签): every suggestion of the batch is assigned. Each unit gets
    its assignment with a receipt deadline (N working days to receive or send back); each
    suggestion gets its reply deadline (N months, on the lead unit). A suggestion changed
    since the batch was prepared refuses the whole batch (nothing is assigned)."""
    actor = access.require(actor, "suggestions.batch.confirm", _batch_for_rule(batch_id))
    confirming = assigning_org_ids(actor)
    with transaction.atomic():
        batch = _lock_batch(batch_id, version)
        side = (
            gov_office_org_ids(actor)
            if batch.proposed_org.kind in CONGRESS_SIDE
            else congress_org_ids(actor)
        )
        org_id = min(side & confirming)
        ids = [int(i["suggestion"]) for i in batch.items]
        locked = {
            s.pk: s
            for s in Suggestion.objects.select_for_update().filter(pk__in=ids).order_by("id")
        }
        now = timezone.now()
        respond_by = _respond_by(now)
        units = {
            o.pk: o
            for o in Organisation.objects.filter(
                pk__in={i["lead"] for i in batch.items} | {c for i in batch.items for c in i["co"]}
            )
        }
        oversight = _oversight_orgs()
        for item in batch.items:
            s = locked.get(int(item["suggestion"]))
            if s is None:
                raise ValidationFailed(_("批次中的建议已不存在。"))
            if s.version != int(item["version"]):
                raise ConcurrentEdit(
                    _("%(n)s在拟办后已被他人处理或修改，本批未交办。请退回该批，重新拟办。")
                    % {"n": s.number_label}
                )
            target = _step(s, Step.ISSUE)
            for u in [units[item["lead"]], *(units[c] for c in item["co"])]:
                if not u.is_active:
                    raise _fail(
                        _("承办单位“%(name)s”已停用，本批未交办。请退回该批，重新拟办。")
                        % {"name": u.name}
                    )
            before = _snapshot(s)
            following = merging.followers(s, states=(S.ACCEPTED, S.SENT_BACK), reply_round=0)
            made = [
                _assign_unit(
                    actor,
                    s,
                    unit=units[unit_id],
                    role=role,
                    batch_id=batch.pk,
                    now=now,
                    respond_by=respond_by,
                )
                for unit_id, role in [(item["lead"], AssignmentRole.LEAD)]
                + [(c, AssignmentRole.CO) for c in item["co"]]
            ]
            _meet(actor, s, DEADLINE_ASSIGN)
            reply = _open(
                actor,
                s,
                kind=DEADLINE_REPLY,
                title=(_("答复代表建议 %(t)s") % {"t": _title(s)})[:200],
                rule=Rule.months(settings.SUGGESTION_REPLY_MONTHS),
                start=now,
                responsible_org=units[item["lead"]],
                assigner_org=Organisation.objects.get(pk=s.office_id),
                escalate_to=oversight,
            )
            contact = contact_clock.open_at_delivery(
                actor, s, lead_unit=units[item["lead"]], delivered_at=now, oversight=oversight
            )
            s.status = target
            s.assigned_at = now
            s.lead_unit_id = item["lead"]
            versioned.save(
                s,
                "status",
                "assigned_at",
                "lead_unit",
                reply_due_at=reply.due_at,
                received_at=None,
                contact_due_at=contact.due_at,
            )
            for f in following:
                _meet(actor, f, DEADLINE_ASSIGN)
            merging.follow(
                actor,
                s,
                following,
                [
                    "status",
                    "assigned_at",
                    "lead_unit",
                    "reply_due_at",
                    "received_at",
                    "contact_due_at",
                ],
                "assigned",
            )
            audit.event(
                actor,
                "suggestions.suggestion.assigned",
                s,
                org_id,
                before=before,
                after={
                    **_snapshot(s),
                    "batch": batch.pk,
                    "co_units": item["co"],
                    "assignments": [a.pk for a in made],
                    "reply_due_at": s.reply_due_at,
                },
            )
            for a in made:
                _tell_assigned_unit(s, a)
            for told in [s, *following]:
                _notify(
                    told,
                    kind="suggestions.suggestion.assigned",
                    recipients=_lead_deputy_users(told),
                    title=_("您的建议 %(t)s 已交由 %(unit)s 主办")
                    % {"t": _title(told), "unit": units[item["lead"]].name},
                    occurrence=f"assigned:{batch.pk}",
                )
        batch.state = BatchState.ISSUED
        batch.confirmed_org_id = org_id
        versioned.save(batch, "state", "confirmed_org", confirmed_by=actor.user, confirmed_at=now)
        audit.event(
            actor,
            "suggestions.batch.issued",
            batch,
            org_id,
            before={"state": BatchState.PROPOSED},
            after={"state": batch.state, "suggestions": ids},
        )
    return batch


def batch_return(*, actor: Actor, batch_id: int, version: int, reason: str) -> AssignmentBatch:
    """The other side does not confirm: the batch goes back with a reason; its suggestions
    may be prepared again."""
    actor = access.require(actor, "suggestions.batch.confirm", _batch_for_rule(batch_id))
    reason = _text(reason, "reason", _("退回理由"), limit=MAX_NOTE)
    with transaction.atomic():
        batch = _lock_batch(batch_id, version)
        versioned.save(batch, state=BatchState.RETURNED, return_reason=reason)
        outbox.announce(
            actor,
            "suggestions.batch.returned",
            batch,
            batch.proposed_org_id,
            before={"state": BatchState.PROPOSED},
            after={"state": batch.state, "reason_sm3": _digest(reason)},
            recipients=[batch.proposed_by],
            title=_("联合交办批次 %(n)s 未会签，已退回") % {"n": batch.pk},
            body=reason,
            dedupe=f"suggestion-batch:{batch.pk}:returned",
        )
    return batch
