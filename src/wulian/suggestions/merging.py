"""Merged handling (并案): services and the lifecycle's hooks (ADR 0010, merged suggestions).

- `suggestion_merge`: congress staff or the supervision office merge accepted suggestions that
  wait for assignment (待交办 / 退回待重新交办) into another of the same session (the primary,
  主办建议). No chains: the primary is not itself merged, and a merged suggestion or one that
  already has merged suggestions cannot be merged again. Nothing in a batch waiting for
  confirmation. Every suggestion touched gets its own audit event, all in one transaction.
- `suggestion_unmerge`: the same people take a merged suggestion out again, while it still
  waits for assignment; it is then assigned on its own.

Downstream, the merged suggestions ("followers") follow their primary: its joint assignment,
receipt and send-back set their status and ledger columns (`follow`), its reply is sent on each
follower too as that follower's own `Reply` with the same attachments (`reply_followers`) and
reaches each follower's deputies; each follower's lead deputy gives their own verdict on their
own suggestion (on their own verdict clock), which then goes its own way (closed, or reopened
and re-answered by the lead unit directly; an approved extension of the primary's re-reply
moves the re-reply deadlines of those reopened in the same round). The lead unit records its
contact with a follower's deputy on the follower's page; a reply to the primary needs every
following deputy contacted first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wulian.core import access, audit, punctuation, versioned
from wulian.core.access import Actor
from wulian.core.deadlines.choices import DeadlineState
from wulian.core.errors import RuleViolation, TransitionNotAllowed
from wulian.suggestions import selectors
from wulian.suggestions.choices import DEADLINE_REPLY, DEADLINE_REREPLY, SuggestionStatus
from wulian.suggestions.models import Reply, Suggestion
from wulian.suggestions.services._common import (
    _deputies,
    _fail,
    _get,
    _lead_deputy_users,
    _meet,
    _notify,
    _open_verdict_deadline,
    _snapshot,
    _stale,
    _title,
)

S = SuggestionStatus
# Merging and unmerging: only before the joint assignment is confirmed.
MERGE_STATES = (S.ACCEPTED, S.SENT_BACK)
MAX_MERGE = 50


def _label(s: Suggestion) -> str:
    return str(s.number_label)


def _merge_snapshot(s: Suggestion) -> dict[str, Any]:
    return {"status": s.status, "merged_into": s.merged_into_id}


def _check_waiting(s: Suggestion) -> None:
    if s.status not in MERGE_STATES:
        raise TransitionNotAllowed(
            _("%(n)s当前为“%(state)s”，只有待交办的建议才能并案或拆分。")
            % {"n": _label(s), "state": s.get_status_display()}
        )


def suggestion_merge(
    *,
    actor: Actor,
    primary_id: int,
    version: int,
    others_ids: Sequence[int],
    other_versions: Mapping[int, int] | None = None,
) -> Suggestion:
    """Merge `others_ids` into the primary for handling together (并案办理)."""
    actor = access.require(actor, "suggestions.suggestion.merge", _get(primary_id))
    try:
        ids = list(dict.fromkeys(int(i) for i in others_ids))
    except (TypeError, ValueError):
        raise _fail(_("请选择要并案的建议。"), "others") from None
    if not ids:
        raise _fail(_("请至少选择一件要并入的建议。"), "others")
    if primary_id in ids:
        raise _fail(_("建议不能并入自身。"), "others")
    if len(ids) > MAX_MERGE:
        raise _fail(_("一次最多并案 %(n)d 件建议。") % {"n": MAX_MERGE}, "others")
    versions = {int(k): int(v) for k, v in (other_versions or {}).items()}
    with transaction.atomic():
        locked = {
            s.pk: s
            for s in Suggestion.objects.select_for_update()
            .filter(pk__in=[primary_id, *ids])
            .order_by("id")
        }
        primary = locked[primary_id]
        if primary.version != version:
            raise _stale()
        if primary.merged_into_id is not None:
            raise RuleViolation(
                _("%(n)s已并入其他建议，不能作为主办建议；请并入它所并入的建议。")
                % {"n": _label(primary)}
            )
        _check_waiting(primary)
        pending = selectors.pending_suggestion_ids()
        others = []
        for pk in ids:
            s = locked.get(pk)
            if s is None:
                raise _fail(_("所选建议不存在。"), "others")
            if pk in versions and versions[pk] != s.version:
                raise _stale()
            if s.session_id != primary.session_id:
                raise _fail(_("%(n)s不是同一会次的建议，不能并案。") % {"n": _label(s)}, "others")
            if s.merged_into_id is not None:
                raise RuleViolation(_("%(n)s已并案，不能重复并案。") % {"n": _label(s)})
            if Suggestion.objects.filter(merged_into=s).exists():
                raise RuleViolation(
                    _("%(n)s已有并入的建议，不能再并入其他建议。") % {"n": _label(s)}
                )
            _check_waiting(s)
            others.append(s)
        for s in [primary, *others]:
            if s.pk in pending:
                raise RuleViolation(
                    _("%(n)s在待会签的交办批次中，请先会签或退回该批再并案。") % {"n": _label(s)}
                )
        already = list(primary.merged.values_list("pk", flat=True))
        for s in others:
            before = _merge_snapshot(s)
            versioned.save(s, merged_into=primary)
            audit.event(
                actor,
                "suggestions.suggestion.merged_into",
                s,
                s.office_id,
                before=before,
                after={**_merge_snapshot(s), "primary_version": primary.version + 1},
            )
            _notify(
                s,
                kind="suggestions.suggestion.merged",
                recipients=_lead_deputy_users(s),
                title=_("您的建议 %(t)s 与%(p)s并案办理，办理结果仍将答复您")
                % {"t": _title(s), "p": _label(primary)},
                occurrence=f"merged:{primary.pk}:{s.version}",
            )
        versioned.save(primary)
        audit.event(
            actor,
            "suggestions.suggestion.merged",
            primary,
            primary.office_id,
            before={"merged": already},
            after={"merged": [*already, *(s.pk for s in others)]},
        )
    return primary


def suggestion_unmerge(*, actor: Actor, suggestion_id: int, version: int) -> Suggestion:
    """Take a merged suggestion out of its primary (拆分), while both wait for assignment."""
    actor = access.require(actor, "suggestions.suggestion.merge", _get(suggestion_id))
    primary_id = _get(suggestion_id).merged_into_id
    if primary_id is None:
        raise TransitionNotAllowed(_("该建议未并案，无需拆分。"))
    with transaction.atomic():
        locked = {
            s.pk: s
            for s in Suggestion.objects.select_for_update()
            .filter(pk__in=[primary_id, suggestion_id])
            .order_by("id")
        }
        s = locked[suggestion_id]
        if s.version != version:
            raise _stale()
        if s.merged_into_id != primary_id:
            raise _stale()
        primary = locked[primary_id]
        _check_waiting(s)
        _check_waiting(primary)
        if primary.pk in selectors.pending_suggestion_ids():
            raise RuleViolation(
                _("%(n)s在待会签的交办批次中，请先会签或退回该批再拆分。") % {"n": _label(primary)}
            )
        before = _merge_snapshot(s)
        versioned.save(s, merged_into=None)
        audit.event(
            actor,
            "suggestions.suggestion.unmerged",
            s,
            s.office_id,
            before=before,
            after=_merge_snapshot(s),
        )
        remaining = list(primary.merged.values_list("pk", flat=True))
        versioned.save(primary)
        audit.event(
            actor,
            "suggestions.suggestion.merge_split",
            primary,
            primary.office_id,
            before={"merged": sorted([*remaining, s.pk])},
            after={"merged": sorted(remaining)},
        )
    return s


# --- Hooks of the lifecycle's services --------------------------------------------------------


def followers(primary: Suggestion, *, states: Sequence[str], reply_round: int) -> list[Suggestion]:
    """The merged suggestions that stand where the primary stood (same state, same round),
    locked: they take the primary's step with it."""
    return list(
        Suggestion.objects.select_for_update()
        .filter(merged_into=primary, status__in=list(states), reply_round=reply_round)
        .order_by("id")
    )


def save_and_follow(
    actor: Actor, primary: Suggestion, rows: Sequence[Suggestion], step: str, *fields: str
) -> None:
    """Save the primary's changed `fields` and copy them onto the followers that take the
    step with it (`follow`)."""
    versioned.save(primary, *fields)
    follow(actor, primary, rows, fields, step)


def follow(
    actor: Actor,
    primary: Suggestion,
    rows: Sequence[Suggestion],
    fields: Sequence[str],
    step: str,
    details: Mapping[int, Mapping[str, Any]] | None = None,
) -> None:
    """Copy the primary's columns onto each follower; one audit event on each (with the
    follower's own `details[follower id]`, e.g. its reply and that reply's attachments)."""
    attnames = [Suggestion._meta.get_field(f).attname for f in fields]
    for f in rows:
        before = _snapshot(f)
        for name in attnames:
            setattr(f, name, getattr(primary, name))
        versioned.save(f, *fields)
        audit.event(
            actor,
            "suggestions.suggestion.followed",
            f,
            f.office_id,
            before=before,
            after={
                **_snapshot(f),
                "primary": primary.pk,
                "step": step,
                **((details or {}).get(f.pk) or {}),
            },
        )


def require_not_follower(s: Suggestion, what: str) -> None:
    """Steps a follower takes only through its primary."""
    if s.merged_into_id is not None and s.reply_round == 0:
        raise RuleViolation(
            _("该建议已并案办理，请在主办建议（%(p)s）上%(what)s。")
            % {"p": _label(Suggestion.objects.get(pk=s.merged_into_id)), "what": what}
        )


def require_no_open_followers(s: Suggestion) -> None:
    """A primary whose merged suggestions are still being handled cannot end on its own."""
    if s.merged.exclude(status__in=[S.CLOSED, S.WITHDRAWN]).exists():
        raise RuleViolation(
            _("该建议有并案办理中的建议，请先在待交办时拆分并案，或待并案建议办结后再撤回。")
        )


def check_followers_contacted(rows: Sequence[Suggestion]) -> None:
    waiting = [f for f in rows if f.first_contact_at is None]
    if waiting:
        raise RuleViolation(
            _("请先联系并案建议的领衔代表：%(n)s。联系后才能答复。")
            % {"n": punctuation.join(_label(f) for f in waiting)}
        )


def reply_followers(
    actor: Actor,
    primary: Suggestion,
    reply: Reply,
    rows: Sequence[Suggestion],
    attachments: Sequence[Any] = (),
    copied: list[Any] | None = None,
) -> None:
    """The primary's reply, sent on each follower as its own reply of the same round (the
    follower's deputies get it; each gives their own verdict, on their own verdict clock),
    carrying the same attachments (the signed and sealed letter's scan …): each is attached to
    the follower's reply too, so that whoever sees the follower sees and downloads them there
    (`attachment_copy`; the files are appended to `copied`, for the caller to discard if its
    transaction fails). Each follower's `followed` event names its reply and that reply's
    attachments."""
    from wulian.core.attachments.services import attachment_copy

    kind = DEADLINE_REPLY if reply.round == 1 else DEADLINE_REREPLY
    details: dict[int, dict[str, Any]] = {}
    for f in rows:
        met = _meet(actor, f, kind)
        own = Reply.objects.create(
            suggestion=f,
            round=reply.round,
            unit_id=reply.unit_id,
            category=reply.category,
            signer=reply.signer,
            text=reply.text,
            public_text=reply.public_text,
            face_to_face=reply.face_to_face,
            sent_at=reply.sent_at,
            sent_by=reply.sent_by,
            on_time=reply.on_time if met is None else met.state == DeadlineState.MET,
        )
        carried = []
        for att in attachments:
            copy = attachment_copy(actor=actor, attachment_id=att.pk, record=own)
            if copied is not None:
                copied.append(copy)
            carried.append(copy.pk)
        details[f.pk] = {
            "reply": own.pk,
            "attachments": carried,
            "attachments_from": [att.pk for att in attachments],
        }
    fields = ["status", "replied_at", "reply_round", "reply_category"]
    fields += [f for f in ("first_reply_on_time",) if hasattr(Suggestion, f) and reply.round == 1]
    follow(actor, primary, rows, fields, "reply", details)
    for f in rows:
        _open_verdict_deadline(actor, f, reply.sent_at)
        _notify(
            f,
            kind="suggestions.reply.sent",
            recipients=_deputies(f),
            title=_("代表建议 %(t)s 已答复（%(cat)s），请查看并评价")
            % {"t": _title(f), "cat": reply.get_category_display()},
            occurrence=f"reply:{reply.round}",
        )


__all__ = ["suggestion_merge", "suggestion_unmerge"]
