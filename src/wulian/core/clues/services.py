"""Writes and audited reads of clues (问题线索).

Each step: check access → transaction → lock the clue (`select_for_update`) → refuse a stale
`version` (ConcurrentEdit) → look the step up in the transition table (TransitionNotAllowed) →
validate → save → one audit event → notifications to the other side, in the same transaction.

Audit events and notifications never carry the content: they hold ids, states, the
disposition kind and SM3 digests. The content digest covers all the confidential fields
together, salted with the clue's id, so that a short field (a name) cannot be confirmed by
hashing guesses.

Reading is audited too: opening a clue in full (`clues.clue.viewed`), in the sending side's
status view (`clues.clue.status_viewed`), and seeing clue numbers in a list, a panel or an
export (`clues.clue.listed`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, records, servicekit, versioned
from wulian.core.access import Actor
from wulian.core.choices import Role
from wulian.core.clues.choices import (
    DEADLINE_DISPOSITION,
    DEADLINE_RECEIPT,
    DEADLINE_TRANSFER,
    OUTCOMES_OF,
    TRANSITIONS,
    ClueState,
    Disposition,
    Step,
    ViolationType,
)
from wulian.core.clues.models import CONTENT_FIELDS, Clue
from wulian.core.clues.policies import (
    RECEIVING_KINDS,
    SENDER_ROLES,
    clue_office_for,
    clue_officer_org_ids,
    sender_org_ids,
    taken_in,
)
from wulian.core.crypto import sm3_hex
from wulian.core.deadlines import services as deadline_services
from wulian.core.deadlines.models import Deadline
from wulian.core.deadlines.rules import Rule
from wulian.core.deadlines.selectors import live_deadline
from wulian.core.errors import ConcurrentEdit, TransitionNotAllowed, ValidationFailed, next_state
from wulian.core.models import Organisation
from wulian.core.notifications import outbox
from wulian.core.selectors import users_holding
from wulian.core.servicekit import fail as _fail

MAX_CONTENT = 20_000
MAX_NOTE = 5_000
TEXT_FIELDS = ("subject_name", "subject_post", "content", "evidence")


# --- Helpers -------------------------------------------------------------------------------


def content_digest(clue: Clue) -> str:
    """SM3 over the confidential fields together, salted with the clue's id."""
    body = json.dumps(
        {f: getattr(clue, f) or "" for f in TEXT_FIELDS},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return sm3_hex(f"clue:{clue.pk}:{body}".encode())


def _text_digest(clue: Clue, name: str, text: str) -> str:
    return sm3_hex(f"clue:{clue.pk}:{name}:{text}".encode()) if text else ""


def _snapshot(clue: Clue) -> dict[str, Any]:
    """What an audit event may say about a clue: ids, states, kinds and the digest."""
    return {
        "state": clue.state,
        "sending_org": clue.sending_org_id,
        "receiving_org": clue.receiving_org_id,
        "subject_organisation": clue.subject_organisation_id,
        "violation_type": clue.violation_type,
        "found_on": clue.found_on.isoformat() if clue.found_on else None,
        "source": (
            f"{clue.source_type.app_label}.{clue.source_type.model}#{clue.source_id}"
            if clue.source_type_id
            else None
        ),
        "content_sm3": content_digest(clue),
    }


def _notify(clue: Clue, *, kind: str, to_cdi: bool, title: str, occurrence: str) -> None:
    """A message without content: the clue's number and what happened, and the link. A clue
    the CDI took in has no sending office to tell: its office's other staff are not told that
    it exists."""
    if not to_cdi and taken_in(clue):
        return
    recipients = (
        users_holding([clue.receiving_org_id], [Role.CLUE_OFFICER])
        if to_cdi
        else users_holding([clue.sending_org_id], SENDER_ROLES)
    )
    outbox.enqueue(
        kind=kind,
        recipients=recipients,
        title=title,
        url=clue.get_absolute_url(),
        dedupe=f"clue:{clue.pk}:{occurrence}",
    )


def _record(
    actor: Actor,
    clue: Clue,
    kind: str,
    *,
    after: dict[str, Any],
    to_cdi: bool,
    title: str,
    occurrence: str,
    before: dict[str, Any] | None = None,
    org: int | None = None,
) -> None:
    """A step's audit event `kind` (on the receiving office unless `org` says otherwise) and
    the message of the same kind to the other side."""
    org = clue.receiving_org_id if org is None else org
    audit.event(actor, kind, clue, org, before=before, after=after)
    _notify(clue, kind=kind, to_cdi=to_cdi, title=title, occurrence=occurrence)


def no_clue_officer_message(receiving: Organisation) -> str:
    return _(
        "%(org)s 没有线索管理员，移送后无人签收，线索未移送。请联系安全管理员为该纪委监委设置"
        "线索管理员（须经纪委监委确认），或修改线索、选择其他受理机关。"
    ) % {"org": receiving.display_name}


def transfer_recipient(clue: Clue) -> tuple[Organisation | None, str]:
    """For the transfer form: the office whose clue officers will receive the clue, or None
    and the message saying why it cannot be transferred."""
    office = clue_office_for(clue.receiving_org_id)
    if office is None:
        return None, no_clue_officer_message(clue.receiving_org)
    return office, ""


def _stale() -> ConcurrentEdit:
    return ConcurrentEdit(
        _("该线索已被他人处理或修改，您的操作未执行。请刷新页面查看最新状态后再操作。")
    )


def _step(clue: Clue, step: str) -> str:
    return next_state(TRANSITIONS, clue, step, Step, _("该线索当前为“%(state)s”，不能%(step)s。"))


def _get(clue_id: int) -> Clue:
    clue = Clue.objects.defer(*CONTENT_FIELDS, "feedback").filter(pk=clue_id).first()
    if clue is None:
        raise ValidationFailed(_("线索不存在。"))
    return clue


def _lock(clue_id: int, version: int) -> Clue:
    clue = Clue.objects.select_for_update().get(pk=clue_id)
    if clue.version != version:
        raise _stale()
    return clue


def _meet(actor: Actor, clue: Clue, kind: str) -> None:
    deadline_services.meet_live(actor=actor, record=clue, kind=kind)


def _clean(data: dict[str, Any], *, actor: Actor, creating: bool) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    name = (data.get("subject_name") or "").strip()
    if not name:
        errors["subject_name"] = [_("请填写反映对象的姓名。")]
    elif len(name) > 60:
        errors["subject_name"] = [_("姓名不能超过 60 个字。")]
    values["subject_name"] = name
    post = (data.get("subject_post") or "").strip()
    if len(post) > 200:
        errors["subject_post"] = [_("职务不能超过 200 个字。")]
    values["subject_post"] = post
    kind = data.get("violation_type") or ""
    if kind not in ViolationType.values:
        errors["violation_type"] = [_("请选择问题类别。")]
    values["violation_type"] = kind
    for field, label, required in (
        ("content", _("主要问题"), True),
        ("evidence", _("证据材料说明"), False),
    ):
        text = (data.get(field) or "").strip()
        if required and not text:
            errors[field] = [_("请填写%(label)s。") % {"label": label}]
        elif len(text) > MAX_CONTENT:
            errors[field] = [
                _("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": MAX_CONTENT}
            ]
        values[field] = text
    found_on = _found_on(data.get("found_on"))
    if found_on == "invalid":
        errors["found_on"] = [_("发现日期不能晚于今天。")]
    else:
        values["found_on"] = found_on
    subject_org_id = data.get("subject_organisation_id")
    values["subject_organisation"] = None
    if subject_org_id:
        org = Organisation.objects.filter(pk=subject_org_id, is_active=True).first()
        if org is None:
            errors["subject_organisation"] = [_("所选单位不存在或已停用。")]
        values["subject_organisation"] = org
    receiving = Organisation.objects.filter(
        pk=data.get("receiving_org_id"), is_active=True, kind__in=sorted(RECEIVING_KINDS)
    ).first()
    if receiving is None:
        errors["receiving_org"] = [_("请选择受理的纪委监委。")]
    values["receiving_org"] = receiving
    if creating:
        sending = Organisation.objects.filter(pk=data.get("sending_org_id"), is_active=True).first()
        if sending is None or sending.pk not in sender_org_ids(actor):
            errors["sending_org"] = [_("请选择您任职（工作人员或负责人）的人大机关作为移送单位。")]
        values["sending_org"] = sending
    if errors:
        raise ValidationFailed(_("线索未保存，请按提示更正。"), field_errors=errors)
    return values


# --- The sending office's own time limit to transfer (docs/adr/0019) ----------------------


def _found_on(raw: Any) -> date | str | None:
    """The day found: a date, an ISO string or nothing; "invalid" when in the future."""
    if raw in (None, ""):
        return None
    if isinstance(raw, str):
        try:
            raw = date.fromisoformat(raw)
        except ValueError:
            return "invalid"
    if raw > timezone.localdate():
        return "invalid"
    return raw


def _open_transfer_limit(actor: Actor, clue: Clue) -> None:
    """Transfer within CLUE_TRANSFER_WORKING_DAYS working days of the day the clue was found
    (a LOCAL setting: no national text sets it; a county rule of 15 working days for referral
    is the nearest source, reference [CN9]). Nothing when the day found is not given."""
    if clue.found_on is None:
        return
    start = timezone.make_aware(datetime.combine(clue.found_on, time.min))
    deadline_services.deadline_open(
        actor=actor,
        record=clue,
        kind=DEADLINE_TRANSFER,
        title=_("移送问题线索 %(n)s") % {"n": clue.number},
        rule=Rule.working_days(settings.CLUE_TRANSFER_WORKING_DAYS),
        start=start,
        responsible_org=clue.sending_org,
        assigner_org=clue.sending_org,
        manage_action="clues.clue.manage_deadlines",
        reminder_points=(60,),
    )


def _reopen_transfer_limit(actor: Actor, clue: Clue) -> None:
    live = live_deadline(clue, DEADLINE_TRANSFER)
    if live is not None:
        deadline_services.deadline_cancel(
            actor=actor, deadline_id=live.pk, reason=_("发现日期已更正")
        )
    _open_transfer_limit(actor, clue)


# --- The sending office: draft, edit, transfer ---------------------------------------------


def clue_draft(*, actor: Actor, data: dict[str, Any], source: Any = None) -> Clue:
    """Draft a clue in the actor's office. `source`: the record it came from (the actor must
    see it)."""
    actor = access.require(actor, "clues.clue.create")
    if source is not None and not records.can_view(actor, source):
        raise _fail(_("您无权查看该线索来源记录。"))
    values = _clean(data, actor=actor, creating=True)
    clue = Clue(**values, drafted_by=actor.user)
    if source is not None:
        clue.source_type = ContentType.objects.get_for_model(source)
        clue.source_id = source.pk
    with transaction.atomic():
        clue.save(force_insert=True)
        _open_transfer_limit(actor, clue)
        audit.event(actor, "clues.clue.drafted", clue, clue.sending_org_id, after=_snapshot(clue))
    return clue


def clue_intake(*, actor: Actor, data: dict[str, Any], source: Any) -> Clue:
    """A clue the CDI received directly, registered by its clue officer (an integrity
    monitor's observation at a liaison station, ADR 0027): the CDI's clue office is both the
    sending and the receiving end and the clue is 已签收 from the start, so it is seen by that
    office's clue officers only — never by a congress-side office, not even as a status. Its
    disposition limit starts now. `data`: as `clue_draft`'s, without the sending office;
    `source` (required): the record it came from; one clue per source."""
    actor = access.require(actor, "clues.clue.intake")
    if source is None or not records.can_view(actor, source):
        raise _fail(_("您无权查看该线索来源记录。"))
    values = _clean({**data, "sending_org_id": None}, actor=actor, creating=False)
    office = clue_office_for(values["receiving_org"].pk)
    if office is None or office.pk not in clue_officer_org_ids(actor):
        raise _fail(_("只能登记本机关受理的问题线索。"), "receiving_org")
    source_type = ContentType.objects.get_for_model(source)
    now = timezone.now()
    with transaction.atomic():
        type(source).objects.select_for_update().get(pk=source.pk)
        if Clue.objects.filter(source_type=source_type, source_id=source.pk).exists():
            raise _fail(_("该记录已登记为问题线索。"))
        clue = Clue(
            **{**values, "receiving_org": office},
            sending_org=office,
            drafted_by=actor.user,
            source_type=source_type,
            source_id=source.pk,
            state=ClueState.RECEIVED,
            transferred_at=now,
            transferred_by=actor.user,
            received_at=now,
            received_by=actor.user,
        )
        clue.save(force_insert=True)
        deadline_services.deadline_open(
            actor=actor,
            record=clue,
            kind=DEADLINE_DISPOSITION,
            title=_("处置问题线索 %(n)s") % {"n": clue.number},
            rule=Rule.working_days(settings.CLUE_DISPOSITION_WORKING_DAYS),
            responsible_org=office,
            assigner_org=office,
            manage_action="clues.clue.manage_deadlines",
            responsible_role=Role.CLUE_OFFICER,
            reminder_points=(60,),
        )
        audit.event(
            actor,
            "clues.clue.taken_in",
            clue,
            office.pk,
            after=_snapshot(clue),
        )
    return clue


def clue_update(*, actor: Actor, clue_id: int, version: int, data: dict[str, Any]) -> Clue:
    """Edit a draft. Once transferred a clue is not edited any more."""
    actor = access.require(actor, "clues.clue.edit", _get(clue_id))
    with transaction.atomic():
        clue = _lock(clue_id, version)
        if clue.state != ClueState.DRAFT:
            raise TransitionNotAllowed(
                _("该线索已移送（当前为“%(state)s”），不能再修改。")
                % {"state": clue.get_state_display()}
            )
        values = _clean(data, actor=actor, creating=False)
        found_before = clue.found_on
        before = _snapshot(clue)
        for key, value in values.items():
            setattr(clue, key, value)
        old, new = audit.diff(before, _snapshot(clue))
        if not new:
            return clue
        clue.version += 1
        clue.save(
            update_fields=[
                *TEXT_FIELDS,
                "subject_organisation",
                "violation_type",
                "receiving_org",
                "found_on",
                "version",
                "updated_at",
            ]
        )
        if clue.found_on != found_before:
            _reopen_transfer_limit(actor, clue)
        audit.event(actor, "clues.clue.updated", clue, clue.sending_org_id, before=old, after=new)
    return clue


def clue_transfer(*, actor: Actor, clue_id: int, version: int) -> Clue:
    """Transfer (移送) to the receiving CDI: the receipt and disposition time limits start
    (working days, settings CLUE_RECEIPT_WORKING_DAYS and CLUE_DISPOSITION_WORKING_DAYS)."""
    actor = access.require(actor, "clues.clue.transfer", _get(clue_id))
    with transaction.atomic():
        clue = _lock(clue_id, version)
        target = _step(clue, Step.TRANSFER)
        receiving = Organisation.objects.filter(
            pk=clue.receiving_org_id, is_active=True, kind__in=sorted(RECEIVING_KINDS)
        ).first()
        if receiving is None:
            raise _fail(_("受理机关已停用，请修改线索，重新选择受理的纪委监委。"), "receiving_org")
        office = clue_office_for(receiving.pk)
        if office is None:
            raise _fail(no_clue_officer_message(receiving), "receiving_org")
        sending = Organisation.objects.get(pk=clue.sending_org_id)
        before = {"state": clue.state}
        addressed_to = clue.receiving_org_id
        # Received centrally: the clue goes to the office whose clue officers receive it.
        clue.receiving_org = receiving = office
        # The time limits are opened while the clue is still the sending office's draft (the
        # deadlines app asks that the opener may see and manage the record).
        for kind, title, days in (
            (DEADLINE_RECEIPT, _("签收问题线索 %(n)s"), settings.CLUE_RECEIPT_WORKING_DAYS),
            (DEADLINE_DISPOSITION, _("处置问题线索 %(n)s"), settings.CLUE_DISPOSITION_WORKING_DAYS),
        ):
            deadline_services.deadline_open(
                actor=actor,
                record=clue,
                kind=kind,
                title=title % {"n": clue.number},
                rule=Rule.working_days(days),
                responsible_org=receiving,
                assigner_org=sending,
                manage_action="clues.clue.manage_deadlines",
                responsible_role=Role.CLUE_OFFICER,
                reminder_points=(60,),
            )
        _meet(actor, clue, DEADLINE_TRANSFER)
        versioned.save(
            clue,
            "receiving_org",
            state=target,
            transferred_at=timezone.now(),
            transferred_by=actor.user,
        )
        _record(
            actor,
            clue,
            "clues.clue.transferred",
            org=clue.sending_org_id,
            before=before,
            after={
                "state": clue.state,
                "receiving_org": clue.receiving_org_id,
                "addressed_to": addressed_to,
                "content_sm3": content_digest(clue),
                "receipt_working_days": settings.CLUE_RECEIPT_WORKING_DAYS,
                "disposition_working_days": settings.CLUE_DISPOSITION_WORKING_DAYS,
            },
            to_cdi=True,
            title=_("收到移送的问题线索 %(n)s，请及时签收") % {"n": clue.number},
            occurrence="transferred",
        )
    return clue


# --- The CDI: receipt, disposition, feedback ------------------------------------------------


def clue_receive(*, actor: Actor, clue_id: int, version: int) -> Clue:
    """The CDI clue officer acknowledges receipt (签收)."""
    actor = access.require(actor, "clues.clue.receive", _get(clue_id))
    with transaction.atomic():
        clue = _lock(clue_id, version)
        target = _step(clue, Step.RECEIVE)
        before = {"state": clue.state}
        versioned.save(clue, state=target, received_at=timezone.now(), received_by=actor.user)
        _meet(actor, clue, DEADLINE_RECEIPT)
        _record(
            actor,
            clue,
            "clues.clue.received",
            before=before,
            after={"state": clue.state},
            to_cdi=False,
            title=_("移送的问题线索 %(n)s 已签收") % {"n": clue.number},
            occurrence="received",
        )
    return clue


def clue_give_feedback(*, actor: Actor, clue_id: int, version: int, feedback: str) -> Clue:
    """The CDI tells the sending office how the clue was dealt with (what it may know)."""
    actor = access.require(actor, "clues.clue.feedback", _get(clue_id))
    with transaction.atomic():
        clue = _lock(clue_id, version)
        target = _step(clue, Step.FEEDBACK)
        text = (feedback or "").strip()
        if not text:
            raise _fail(_("请填写反馈意见。"), "feedback")
        if len(text) > MAX_NOTE:
            raise _fail(_("反馈意见不能超过 %(n)d 个字。") % {"n": MAX_NOTE}, "feedback")
        before = {"state": clue.state}
        versioned.save(
            clue, state=target, feedback=text, feedback_at=timezone.now(), feedback_by=actor.user
        )
        _record(
            actor,
            clue,
            "clues.clue.feedback_given",
            before=before,
            after={"state": clue.state, "feedback_sm3": _text_digest(clue, "feedback", text)},
            to_cdi=False,
            title=_("移送的问题线索 %(n)s 已反馈处置情况") % {"n": clue.number},
            occurrence=f"feedback:{clue.version}",
        )
    return clue


# --- The CDI's triage, outcomes and reactivation (docs/adr/0019) ---------------------------
# 《中国共产党纪律检查机关监督执纪工作规则》 (2019): clues are disposed of after collective
# study and approval (集体研究、履行审批手续), never by one person: a clue officer of the
# case-management office proposes (拟办), another — the responsible leader, appointed a clue
# officer so that ADR 0007's circle of readers is unchanged — approves or returns it.


def _note(text: str, field: str, label: str, *, required: bool = False) -> str:
    return servicekit.text(text, field, label, required=required, limit=MAX_NOTE)


def clue_propose(
    *, actor: Actor, clue_id: int, version: int, disposition: str, note: str = ""
) -> Clue:
    """The case-management office proposes one of the four dispositions (拟办意见); it is
    recorded only when a leader other than the proposer approves it."""
    actor = access.require(actor, "clues.clue.propose", _get(clue_id))
    with transaction.atomic():
        clue = _lock(clue_id, version)
        target = _step(clue, Step.PROPOSE)
        if disposition not in Disposition.values:
            raise _fail(_("请选择拟处置方式。"), "disposition")
        note = _note(note, "note", _("拟办意见"))
        before = {"state": clue.state}
        versioned.save(
            clue,
            state=target,
            proposed_disposition=disposition,
            proposal_note=note,
            proposed_at=timezone.now(),
            proposed_by=actor.user,
            approval_note="",
        )
        _record(
            actor,
            clue,
            "clues.clue.proposed",
            before=before,
            after={
                "state": clue.state,
                "proposed_disposition": disposition,
                "note_sm3": _text_digest(clue, "proposal_note", note),
            },
            to_cdi=True,
            title=_("问题线索 %(n)s 的处置意见待审批") % {"n": clue.number},
            occurrence=f"proposed:{clue.version}",
        )
    return clue


def clue_approve(*, actor: Actor, clue_id: int, version: int, note: str = "") -> Clue:
    """A leader approves the proposed disposition, which is then recorded (处置). The proposer
    cannot approve their own proposal: two different people (两人以上, docs/adr/0019)."""
    actor = access.require(actor, "clues.clue.approve", _get(clue_id))
    with transaction.atomic():
        clue = _lock(clue_id, version)
        target = _step(clue, Step.APPROVE)
        if clue.proposed_by_id == actor.user.pk:
            raise _fail(_("不能审批本人提出的处置意见，请由其他负责同志审批。"))
        note = _note(note, "note", _("审批意见"))
        before = {"state": clue.state}
        versioned.save(
            clue,
            state=target,
            disposition=clue.proposed_disposition,
            disposition_note=clue.proposal_note,
            approval_note=note,
            disposed_at=timezone.now(),
            disposed_by=actor.user,
        )
        _meet(actor, clue, DEADLINE_DISPOSITION)
        _record(
            actor,
            clue,
            "clues.clue.disposed",
            before=before,
            after={
                "state": clue.state,
                "disposition": clue.disposition,
                "proposed_by": clue.proposed_by_id,
                "note_sm3": _text_digest(clue, "disposition_note", clue.disposition_note),
                "approval_note_sm3": _text_digest(clue, "approval_note", note),
            },
            to_cdi=False,
            title=_("移送的问题线索 %(n)s 已处置") % {"n": clue.number},
            occurrence=f"disposed:{clue.version}",
        )
    return clue


def clue_return(*, actor: Actor, clue_id: int, version: int, note: str) -> Clue:
    """The leader returns the proposal with the reason (退回重新拟办); nothing is recorded and
    the sending office is not told (the clue is still being disposed of)."""
    actor = access.require(actor, "clues.clue.approve", _get(clue_id))
    with transaction.atomic():
        clue = _lock(clue_id, version)
        target = _step(clue, Step.RETURN)
        note = _note(note, "note", _("退回理由"), required=True)
        before = {"state": clue.state, "proposed_disposition": clue.proposed_disposition}
        versioned.save(clue, state=target, approval_note=note)
        _record(
            actor,
            clue,
            "clues.clue.proposal_returned",
            before=before,
            after={"state": clue.state, "note_sm3": _text_digest(clue, "approval_note", note)},
            to_cdi=True,
            title=_("问题线索 %(n)s 的处置意见已退回，请重新拟办") % {"n": clue.number},
            occurrence=f"returned:{clue.version}",
        )
    return clue


def clue_reactivate(*, actor: Actor, clue_id: int, version: int) -> Clue:
    """A clue put on hold (暂存待查) is taken up again: it goes back to the triage (a new
    proposal and approval). The sending office sees it as received again."""
    actor = access.require(actor, "clues.clue.reactivate", _get(clue_id))
    with transaction.atomic():
        clue = _lock(clue_id, version)
        target = _step(clue, Step.REACTIVATE)
        if clue.disposition != Disposition.HOLD:
            raise TransitionNotAllowed(
                _("只有“暂存待查”的线索可以启用，该线索的处置方式为“%(d)s”。")
                % {"d": clue.get_disposition_display()}
            )
        before = {"state": clue.state, "disposition": clue.disposition}
        versioned.save(clue, state=target, disposition="", proposed_disposition="")
        _record(
            actor,
            clue,
            "clues.clue.reactivated",
            before=before,
            after={"state": clue.state},
            to_cdi=False,
            title=_("移送的问题线索 %(n)s 已由暂存转为办理") % {"n": clue.number},
            occurrence=f"reactivated:{clue.version}",
        )
    return clue


def clue_conclude(
    *, actor: Actor, clue_id: int, version: int, outcome: str, note: str = ""
) -> Clue:
    """Where 谈话函询 or 初步核实 led (了结, 谈话提醒, 立案审查调查, 移送 …): the kind goes to the
    sending office's status view and a further feedback reports it; the note stays with the
    CDI."""
    actor = access.require(actor, "clues.clue.conclude", _get(clue_id))
    with transaction.atomic():
        clue = _lock(clue_id, version)
        target = _step(clue, Step.CONCLUDE)
        allowed = OUTCOMES_OF.get(clue.disposition)
        if allowed is None or clue.outcome:
            raise TransitionNotAllowed(
                _("只有“谈话函询”“初步核实”且尚未登记结果的线索可以登记办理结果。")
            )
        if outcome not in allowed:
            raise _fail(_("请选择该处置方式可以得出的办理结果。"), "outcome")
        note = _note(note, "note", _("办理结果说明"))
        before = {"state": clue.state}
        versioned.save(
            clue,
            state=target,
            outcome=outcome,
            outcome_note=note,
            concluded_at=timezone.now(),
            concluded_by=actor.user,
        )
        _record(
            actor,
            clue,
            "clues.clue.concluded",
            before=before,
            after={
                "state": clue.state,
                "outcome": outcome,
                "note_sm3": _text_digest(clue, "outcome_note", note),
            },
            to_cdi=False,
            title=_("移送的问题线索 %(n)s 已办结") % {"n": clue.number},
            occurrence=f"concluded:{clue.version}",
        )
    return clue


# --- Audited reads ------------------------------------------------------------------------


def clue_open(*, actor: Actor, clue_id: int, via: str = "page") -> Clue:
    """The clue with its content, for someone allowed to read it; the reading is an audit
    event (written before anything is shown)."""
    clue = Clue.objects.select_related(
        "sending_org", "receiving_org", "subject_organisation", "source_type"
    ).get(pk=clue_id)
    actor = access.require(actor, "clues.clue.view", clue)
    audit.event(
        actor,
        "clues.clue.viewed",
        clue,
        clue.receiving_org_id if clue.state != ClueState.DRAFT else clue.sending_org_id,
        after={"state": clue.state, "via": via},
    )
    return clue


@dataclass(frozen=True)
class ClueStatus:
    """What the sending office may know of a transferred clue: no content."""

    pk: int
    number: str
    state: str
    state_label: str
    sending_org: str
    receiving_org: str
    transferred_at: datetime | None
    received_at: datetime | None
    disposed_at: datetime | None
    disposition: str
    disposition_label: str
    feedback: str
    feedback_at: datetime | None
    receipt_due: datetime | None
    disposition_due: datetime | None
    url: str
    # Where 谈话函询 / 初步核实 led (the kind only) and the sending office's own limit.
    outcome: str = ""
    outcome_label: str = ""
    concluded_at: datetime | None = None
    found_on: date | None = None
    transfer_due: datetime | None = None


def _status_of(clue: Clue, dues: dict[str, datetime]) -> ClueStatus:
    return ClueStatus(
        pk=clue.pk,
        number=clue.number,
        state=clue.state,
        state_label=clue.get_state_display(),
        sending_org=clue.sending_org.name,
        receiving_org=clue.receiving_org.name,
        transferred_at=clue.transferred_at,
        received_at=clue.received_at,
        disposed_at=clue.disposed_at,
        disposition=clue.disposition,
        disposition_label=clue.get_disposition_display() if clue.disposition else "",
        feedback=clue.feedback or "",
        feedback_at=clue.feedback_at,
        receipt_due=dues.get(DEADLINE_RECEIPT),
        disposition_due=dues.get(DEADLINE_DISPOSITION),
        url=clue.get_absolute_url(),
        outcome=clue.outcome,
        outcome_label=clue.get_outcome_display() if clue.outcome else "",
        concluded_at=clue.concluded_at,
        found_on=clue.found_on,
        transfer_due=dues.get(DEADLINE_TRANSFER),
    )


def _dues(clue_ids: Sequence[int]) -> dict[int, dict[str, datetime]]:
    out: dict[int, dict[str, datetime]] = {}
    if not clue_ids:
        return out
    ct = ContentType.objects.get_for_model(Clue)
    rows = Deadline.objects.filter(
        content_type=ct,
        object_id__in=list(clue_ids),
        kind__in=[DEADLINE_RECEIPT, DEADLINE_DISPOSITION, DEADLINE_TRANSFER],
    ).values_list("object_id", "kind", "due_at")
    for object_id, kind, due in rows.order_by("id"):
        out.setdefault(object_id, {})[kind] = due
    return out


def clue_open_status(*, actor: Actor, clue_id: int) -> ClueStatus:
    """The status view of a clue; the content columns are not even read. An audit event."""
    clue = (
        Clue.objects.defer(*CONTENT_FIELDS)
        .select_related("sending_org", "receiving_org")
        .get(pk=clue_id)
    )
    actor = access.require(actor, "clues.clue.view_status", clue)
    audit.event(
        actor, "clues.clue.status_viewed", clue, clue.sending_org_id, after={"state": clue.state}
    )
    return _status_of(clue, _dues([clue.pk]).get(clue.pk, {}))


def clue_statuses(*, actor: Actor, clues: Sequence[Clue]) -> list[ClueStatus]:
    """Status rows for clues already scoped and loaded without content (lists, panels)."""
    dues = _dues([c.pk for c in clues])
    return [_status_of(c, dues.get(c.pk, {})) for c in clues]


def clues_listed(*, actor: Actor, clue_ids: Sequence[int], via: str) -> None:
    """Seeing clue numbers and states in a list, a panel or an export is recorded too: one
    event per page with the ids shown (nothing when nothing was shown)."""
    if not clue_ids:
        return
    audit.event(
        access.as_actor(actor),
        "clues.clue.listed",
        ("clues.clue", "", _("问题线索列表")),
        after={"ids": sorted(clue_ids), "via": via},
    )


__all__ = [
    "ClueStatus",
    "clue_approve",
    "clue_conclude",
    "clue_draft",
    "clue_give_feedback",
    "clue_open",
    "clue_open_status",
    "clue_propose",
    "clue_reactivate",
    "clue_receive",
    "clue_return",
    "clue_statuses",
    "clue_transfer",
    "clue_update",
    "clues_listed",
    "content_digest",
]
