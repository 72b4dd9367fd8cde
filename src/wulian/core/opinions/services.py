"""Writes of opinion rounds (征求意见): create, add a version, invite, open, comment, say 无意见,
dispose of a comment, close, conclude (the 意见采纳情况说明).

Each service: check access → transaction → lock the round → refuse a stale `version`
(ConcurrentEdit) → look the step up in the transition table → validate → save → one audit
event → notifications and deadlines in the same transaction. Texts go into the audit trail as
SM3 digests; the text stays on the record.

Timing: opening starts `working_days` working days (`OPINION_WORKING_DAYS`, 10 by default)
through the deadlines app: one `opinion_comment` deadline per invitee (reminders at 50 % and
80 % to whoever has not answered), met by the invitee's first comment or its 无意见, cancelled
at the close for those who stayed silent. Comments are refused after the closing time.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.crypto import sm3_hex
from wulian.core.deadlines import services as deadline_services
from wulian.core.deadlines.choices import LIVE_STATES
from wulian.core.deadlines.models import Deadline
from wulian.core.deadlines.rules import Rule
from wulian.core.errors import ConcurrentEdit, TransitionNotAllowed, ValidationFailed
from wulian.core.models import Membership, Organisation, Person
from wulian.core.notifications import outbox
from wulian.core.opinions.choices import (
    DEADLINE_COMMENT,
    TRANSITIONS,
    Disposition,
    RoundState,
    Source,
    Step,
)
from wulian.core.opinions.models import (
    Comment,
    DraftParagraph,
    DraftVersion,
    Invitee,
    OpinionRound,
)
from wulian.core.opinions.policies import MANAGER_ROLES, drafter_org_ids, my_invitees
from wulian.core.selectors import users_holding
from wulian.core.servicekit import fail as _fail

MAX_TITLE = 200
MAX_TEXT = 200_000
MAX_PARAGRAPHS = 2_000
MAX_COMMENT = 10_000
MAX_REASON = 5_000
MAX_INVITEES = 300
MAX_DAYS = 60
MAX_DOCX_BYTES = 10 * 1024 * 1024


def _digest(text: str) -> str:
    return sm3_hex(text.encode()) if text else ""


def _stale() -> ConcurrentEdit:
    return ConcurrentEdit(
        _("该征求意见已被他人修改，您的操作未执行。请刷新页面查看最新内容后再操作。")
    )


def _step(round_: OpinionRound, step: str) -> str:
    target = TRANSITIONS.get((round_.state, step))
    if target is None:
        raise TransitionNotAllowed(
            _("该征求意见当前为“%(state)s”，不能%(step)s。")
            % {"state": round_.get_state_display(), "step": Step(step).label}
        )
    return target


def _get(round_id: int) -> OpinionRound:
    round_ = OpinionRound.objects.filter(pk=round_id).first()
    if round_ is None:
        raise ValidationFailed(_("征求意见不存在或已被删除。"))
    return round_


def _lock(round_id: int, version: int | None) -> OpinionRound:
    round_ = (
        OpinionRound.objects.select_for_update(of=("self",))
        .select_related("drafter")
        .get(pk=round_id)
    )
    if version is not None and round_.version != version:
        raise _stale()
    return round_


def _bump(round_: OpinionRound, *fields: str) -> None:
    round_.version += 1
    round_.save(update_fields=[*fields, "version", "updated_at"])


# --- The draft's text ---------------------------------------------------------------------


def paragraphs_of_text(text: str) -> list[str]:
    """The paragraphs of a pasted text: one a line, blank lines dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def paragraphs_of_docx(upload: Any) -> list[str]:
    """The paragraphs of an uploaded .docx (python-docx), empty ones dropped; tables' cells
    are not read (a draft's articles are paragraphs). Refused when it is not a .docx."""
    from docx import Document

    size = getattr(upload, "size", None)
    if size is not None and size > MAX_DOCX_BYTES:
        raise _fail(_("上传的文件不能超过 10 MB。"), "docx")
    data = upload.read() if hasattr(upload, "read") else bytes(upload)
    try:
        document = Document(io.BytesIO(data))
    except Exception:  # any unreadable upload gets the same refusal
        raise _fail(
            _("无法读取上传的文件，请上传 Word 2007 及以上版本的 .docx 文件。"), "docx"
        ) from None
    return [p.text.strip() for p in document.paragraphs if p.text.strip()]


def _paragraphs(text: str, docx: Any) -> tuple[list[str], str, str]:
    """(paragraphs, source, file name) from pasted `text` or an uploaded `docx` (one of them)."""
    if docx is not None and (text or "").strip():
        raise _fail(_("请粘贴文本或上传 .docx 文件，二者选一。"), "text")
    if docx is not None:
        name = str(getattr(docx, "name", "") or "")[:200]
        if name and not name.lower().endswith(".docx"):
            raise _fail(_("只能上传 .docx 文件（Word 2007 及以上版本）。"), "docx")
        paras, source = paragraphs_of_docx(docx), Source.DOCX
    else:
        if len(text or "") > MAX_TEXT:
            raise _fail(_("征求意见稿不能超过 %(n)d 个字。") % {"n": MAX_TEXT}, "text")
        paras, source, name = paragraphs_of_text(text), Source.PASTE, ""
    if not paras:
        raise _fail(_("征求意见稿没有内容：请粘贴正文，或上传有正文的 .docx 文件。"), "text")
    if len(paras) > MAX_PARAGRAPHS:
        raise _fail(_("征求意见稿不能超过 %(n)d 段。") % {"n": MAX_PARAGRAPHS}, "text")
    return paras, source, name


def _store_version(
    actor: Actor, round_: OpinionRound, paras: list[str], source: str, name: str, note: str
) -> DraftVersion:
    top = round_.versions.aggregate(m=Max("number"))["m"] or 0
    version = DraftVersion.objects.create(
        round=round_,
        number=top + 1,
        source=source,
        filename=name,
        note=(note or "").strip()[:500],
        created_by=actor.user,
    )
    DraftParagraph.objects.bulk_create(
        [DraftParagraph(version=version, number=i, text=t) for i, t in enumerate(paras, 1)]
    )
    return version


def current_version(round_: OpinionRound) -> DraftVersion | None:
    return round_.versions.order_by("-number").first()


# --- Create, versions, invitations ---------------------------------------------------------


def _days(value: Any) -> int:
    if value in (None, ""):
        return settings.OPINION_WORKING_DAYS
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_DAYS:
        raise _fail(_("征求期限须为 1 到 %(n)d 个工作日。") % {"n": MAX_DAYS}, "working_days")
    return days


def round_create(*, actor: Actor, data: dict[str, Any]) -> OpinionRound:
    """A round in preparation with its first version. `data`: drafter_id, title, text or docx
    (one of them), working_days (default `OPINION_WORKING_DAYS`)."""
    actor = access.require(actor, "opinions.round.create")
    errors: dict[str, list[str]] = {}
    drafter = Organisation.objects.filter(pk=data.get("drafter_id"), is_active=True).first()
    if drafter is None or drafter.pk not in drafter_org_ids(actor):
        errors["drafter"] = [_("请选择您任职（工作人员或负责人）的监督单位作为起草单位。")]
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = [_("请填写征求意见稿名称。")]
    elif len(title) > MAX_TITLE:
        errors["title"] = [_("名称不能超过 %(n)d 个字。") % {"n": MAX_TITLE}]
    days = 0
    paras: list[str] = []
    source = name = ""
    for check in (
        lambda: _days(data.get("working_days")),
        lambda: _paragraphs(data.get("text") or "", data.get("docx")),
    ):
        try:
            result = check()
        except ValidationFailed as exc:
            errors.update(exc.field_errors)
            continue
        if isinstance(result, int):
            days = result
        else:
            paras, source, name = result
    if errors:
        raise ValidationFailed(_("征求意见未保存，请按提示更正。"), field_errors=errors)
    assert drafter is not None
    with transaction.atomic():
        round_ = OpinionRound.objects.create(
            drafter=drafter,
            title=title,
            year=timezone.localdate().year,
            working_days=days,
            created_by=actor.user,
        )
        version = _store_version(actor, round_, paras, source, name, "")
        audit.event(
            actor,
            "opinions.round.created",
            round_,
            drafter.pk,
            after={
                "title": title,
                "drafter": drafter.pk,
                "working_days": days,
                "version": version.number,
                "paragraphs": len(paras),
                "text_sm3": _digest("\n".join(paras)),
            },
        )
    return round_


def version_add(
    *,
    actor: Actor,
    round_id: int,
    version: int,
    text: str = "",
    docx: Any = None,
    note: str = "",
) -> DraftVersion:
    """A new version of the draft (pasted or uploaded): its paragraphs numbered afresh; the
    older versions stay readable and their comments stay on them. Invitees are told when the
    round is out."""
    actor = access.require(actor, "opinions.round.manage", _get(round_id))
    paras, source, name = _paragraphs(text, docx)
    with transaction.atomic():
        round_ = _lock(round_id, version)
        _step(round_, Step.ADD_VERSION)
        new = _store_version(actor, round_, paras, source, name, note)
        _bump(round_)
        audit.event(
            actor,
            "opinions.round.version_added",
            round_,
            round_.drafter_id,
            after={
                "version": new.number,
                "source": source,
                "paragraphs": len(paras),
                "text_sm3": _digest("\n".join(paras)),
            },
        )
        if round_.state == RoundState.OPEN:
            outbox.enqueue(
                kind="opinions.round.version_added",
                recipients=_invitee_users(round_),
                title=_("征求意见稿已更新为第%(n)s稿：%(t)s")
                % {"n": new.number, "t": round_.title},
                url=round_.get_absolute_url(),
                dedupe=f"opinion:{round_.pk}:version:{new.number}",
            )
    return new


def _person_users(person_ids: list[int]) -> list[Any]:
    return [p.user for p in Person.objects.filter(pk__in=person_ids).select_related("user")]


def _invitee_users(round_: OpinionRound, invitees: list[Invitee] | None = None) -> list[Any]:
    rows = invitees if invitees is not None else list(round_.invitees.all())
    orgs = [i.organisation_id for i in rows if i.organisation_id]
    people = [i.person_id for i in rows if i.person_id]
    return [*users_holding(orgs), *_person_users(people)]


def _person_org(person: Person) -> Organisation | None:
    seat = (
        Membership.objects.filter(person=person, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("id")
        .first()
    )
    return seat.organisation if seat else None


def _open_deadline(actor: Actor, round_: OpinionRound, invitee: Invitee) -> None:
    """The invitee's comment deadline: due at the round's close, reminders at 50 % and 80 %
    to whoever has not answered (an organisation's desk staff, or the named person)."""
    org = invitee.organisation if invitee.organisation_id else _person_org(invitee.person)
    assert org is not None
    invitee.round = round_
    deadline = deadline_services.deadline_open(
        actor=actor,
        record=invitee,
        kind=DEADLINE_COMMENT,
        title=(_("征求意见：%(t)s") % {"t": round_.title})[:200],
        rule=Rule.working_days(round_.working_days),
        responsible_org=org,
        responsible_user=invitee.person.user if invitee.person_id else None,
        assigner_org=round_.drafter,
        manage_action="opinions.invitee.manage",
        start=round_.opened_at,
    )
    invitee.due_at = deadline.due_at
    invitee.save(update_fields=["due_at"])


def invite(
    *,
    actor: Actor,
    round_id: int,
    version: int,
    organisation_ids: list[int] | None = None,
    person_ids: list[int] | None = None,
) -> list[Invitee]:
    """Invite organisations and named people (deputies …). Those already invited are left as
    they are; while the round is out, the new ones are told and get their deadline."""
    actor = access.require(actor, "opinions.round.manage", _get(round_id))
    org_ids = list(dict.fromkeys(int(i) for i in organisation_ids or ()))
    person_ids = list(dict.fromkeys(int(i) for i in person_ids or ()))
    if not org_ids and not person_ids:
        raise _fail(_("请选择至少一个受邀单位或受邀人员。"), "organisations")
    if len(org_ids) + len(person_ids) > MAX_INVITEES:
        raise _fail(_("受邀单位和人员不能超过 %(n)d 个。") % {"n": MAX_INVITEES}, "organisations")
    orgs = list(Organisation.objects.filter(pk__in=org_ids, is_active=True))
    if len(orgs) != len(org_ids):
        raise _fail(_("所选受邀单位不存在或已停用。"), "organisations")
    people = list(
        Person.objects.filter(pk__in=person_ids, is_active=True, user__isnull=False).select_related(
            "user"
        )
    )
    if len(people) != len(person_ids):
        raise _fail(_("所选受邀人员不存在、已停用或没有平台账号，无法接收征求意见。"), "people")
    no_seat = [p.name for p in people if _person_org(p) is None]
    if no_seat:
        raise _fail(
            _("受邀人员没有所属单位：%(names)s。请先为其登记所属单位。")
            % {"names": "、".join(no_seat)},
            "people",
        )
    with transaction.atomic():
        round_ = _lock(round_id, version)
        _step(round_, Step.INVITE)
        if round_.drafter_id in org_ids:
            raise _fail(_("起草单位不能邀请自己提出意见。"), "organisations")
        have_orgs = set(
            round_.invitees.filter(organisation__isnull=False).values_list(
                "organisation_id", flat=True
            )
        )
        have_people = set(
            round_.invitees.filter(person__isnull=False).values_list("person_id", flat=True)
        )
        new = [Invitee(round=round_, organisation=o) for o in orgs if o.pk not in have_orgs]
        new += [Invitee(round=round_, person=p) for p in people if p.pk not in have_people]
        if not new:
            raise _fail(_("所选单位和人员都已在受邀名单中。"), "organisations")
        for row in new:
            row.save(force_insert=True)
        if round_.state == RoundState.OPEN:
            for row in new:
                _open_deadline(actor, round_, row)
        _bump(round_)
        audit.event(
            actor,
            "opinions.round.invited",
            round_,
            round_.drafter_id,
            after={
                "organisations": sorted(r.organisation_id for r in new if r.organisation_id),
                "people": sorted(r.person_id for r in new if r.person_id),
            },
        )
        if round_.state == RoundState.OPEN:
            _tell_invited(round_, new)
    return new


def _tell_invited(round_: OpinionRound, invitees: list[Invitee]) -> None:
    due = timezone.localtime(round_.closes_at).strftime("%Y-%m-%d %H:%M")
    outbox.enqueue(
        kind="opinions.round.opened",
        recipients=_invitee_users(round_, invitees),
        title=_("请对《%(t)s》提出意见（%(due)s 前）") % {"t": round_.title, "due": due},
        url=round_.get_absolute_url(),
        dedupe=f"opinion:{round_.pk}:opened:{','.join(str(i.pk) for i in invitees)}"[:200],
    )


def round_open(*, actor: Actor, round_id: int, version: int) -> OpinionRound:
    """Send the draft out: the closing time is `working_days` working days from now (the
    deadlines app's calendar); every invitee is told and reminded before the close."""
    actor = access.require(actor, "opinions.round.manage", _get(round_id))
    with transaction.atomic():
        round_ = _lock(round_id, version)
        target = _step(round_, Step.OPEN)
        invitees = list(round_.invitees.select_related("organisation", "person__user"))
        if not invitees:
            raise _fail(_("请先邀请至少一个单位或人员，再发出征求意见。"), "organisations")
        from wulian.core.deadlines import rules

        now = timezone.now()
        round_.state = target
        round_.opened_at = now
        round_.closes_at = rules.due_at(Rule.working_days(round_.working_days), now)
        _bump(round_, "state", "opened_at", "closes_at")
        for row in invitees:
            _open_deadline(actor, round_, row)
        audit.event(
            actor,
            "opinions.round.opened",
            round_,
            round_.drafter_id,
            after={
                "state": round_.state,
                "closes_at": round_.closes_at,
                "invitees": len(invitees),
            },
        )
        _tell_invited(round_, invitees)
    return round_


# --- Comments --------------------------------------------------------------------------------


def _answering(actor: Actor, round_: OpinionRound, invitee_id: Any) -> Invitee:
    """The locked invitee row the actor answers for, or a refusal saying why."""
    mine = {i.pk: i for i in my_invitees(actor, round_)}
    if not invitee_id and len(mine) == 1:
        invitee_id = next(iter(mine))
    try:
        key = int(invitee_id)
    except (TypeError, ValueError):
        key = 0
    if key not in mine:
        raise _fail(
            _(
                "您不能以该单位或个人的名义提出意见：只有受邀单位的工作人员和受邀人员本人可以提出意见。"
            ),
            "invitee",
        )
    return (
        Invitee.objects.select_for_update(of=("self",))
        .select_related("organisation", "person")
        .get(pk=key)
    )


def _open_for_comments(round_: OpinionRound, step: str) -> None:
    _step(round_, step)
    if round_.closes_at is not None and timezone.now() > round_.closes_at:
        raise TransitionNotAllowed(
            _("征求意见已于 %(at)s 截止，不能再提出意见。")
            % {"at": timezone.localtime(round_.closes_at).strftime("%Y-%m-%d %H:%M")}
        )


def _settle_deadline(actor: Actor, invitee: Invitee) -> None:
    deadline_services.meet_live(actor=actor, record=invitee, kind=DEADLINE_COMMENT)


def comment_add(
    *, actor: Actor, round_id: int, text: str, paragraph: int | None = None, invitee: Any = None
) -> Comment:
    """An invitee's opinion on paragraph `paragraph` (its number in the current version) or,
    without one, on the whole draft. Until the close; not after saying 无意见."""
    actor = access.require(actor, "opinions.round.comment", _get(round_id))
    body = (text or "").strip()
    if not body:
        raise _fail(_("请填写意见内容。"), "text")
    if len(body) > MAX_COMMENT:
        raise _fail(_("意见内容不能超过 %(n)d 个字。") % {"n": MAX_COMMENT}, "text")
    with transaction.atomic():
        round_ = _lock(round_id, None)
        _open_for_comments(round_, Step.COMMENT)
        row = _answering(actor, round_, invitee)
        if row.no_opinion_at is not None:
            raise TransitionNotAllowed(
                _("%(who)s已表示无意见，不能再提出意见。") % {"who": row.name}
            )
        current = current_version(round_)
        assert current is not None
        para = None
        if paragraph not in (None, "", 0):
            para = current.paragraphs.filter(number=paragraph).first()
            if para is None:
                raise _fail(
                    _("第%(v)s稿没有第%(p)s段，请选择现有段落或对全文提出意见。")
                    % {"v": current.number, "p": paragraph},
                    "paragraph",
                )
        first = not row.comments.exists()
        comment = Comment.objects.create(
            round=round_,
            invitee=row,
            draft_version=current,
            paragraph=para,
            text=body,
            author=actor.user,
        )
        if first:
            _settle_deadline(actor, row)
        audit.event(
            actor,
            "opinions.round.commented",
            round_,
            row.organisation_id or round_.drafter_id,
            after={
                "comment": comment.pk,
                "invitee": row.pk,
                "version": current.number,
                "paragraph": para.number if para else None,
                "text_sm3": _digest(body),
            },
        )
        outbox.enqueue(
            kind="opinions.round.commented",
            recipients=users_holding([round_.drafter_id], MANAGER_ROLES),
            title=_("%(who)s对《%(t)s》提出了意见") % {"who": row.name, "t": round_.title},
            url=comment.get_absolute_url(),
            dedupe=f"opinion:{round_.pk}:comment:{comment.pk}",
        )
    return comment


def no_opinion(*, actor: Actor, round_id: int, invitee: Any = None) -> Invitee:
    """The invitee says explicitly that it has no opinion (无意见). Once; not after commenting."""
    actor = access.require(actor, "opinions.round.comment", _get(round_id))
    with transaction.atomic():
        round_ = _lock(round_id, None)
        _open_for_comments(round_, Step.NO_OPINION)
        row = _answering(actor, round_, invitee)
        if row.no_opinion_at is not None:
            raise TransitionNotAllowed(_("%(who)s已表示过无意见。") % {"who": row.name})
        if row.comments.exists():
            raise TransitionNotAllowed(
                _("%(who)s已提出意见，不能再表示无意见。") % {"who": row.name}
            )
        row.no_opinion_at = timezone.now()
        row.no_opinion_by = actor.user
        row.save(update_fields=["no_opinion_at", "no_opinion_by"])
        _settle_deadline(actor, row)
        audit.event(
            actor,
            "opinions.round.no_opinion",
            round_,
            row.organisation_id or round_.drafter_id,
            after={"invitee": row.pk},
        )
        outbox.enqueue(
            kind="opinions.round.no_opinion",
            recipients=users_holding([round_.drafter_id], MANAGER_ROLES),
            title=_("%(who)s对《%(t)s》表示无意见") % {"who": row.name, "t": round_.title},
            url=row.get_absolute_url(),
            dedupe=f"opinion:{round_.pk}:none:{row.pk}",
        )
    return row


# --- Dispositions, close, conclusion ---------------------------------------------------------


def comment_dispose(
    *,
    actor: Actor,
    round_id: int,
    comment: Any,
    version: int,
    disposition: str,
    reason: str = "",
) -> Comment:
    """The drafting side's disposition of one comment: 采纳, 部分采纳 or 未采纳 — a reason is
    required unless adopted. `version` is the comment's as read (two people disposing of the
    same comment at once: the second is refused). May be changed until the conclusion."""
    actor = access.require(actor, "opinions.round.manage", _get(round_id))
    reason = (reason or "").strip()
    if disposition not in Disposition.values:
        raise _fail(_("请选择处理结果：采纳、部分采纳或未采纳。"), "disposition")
    if disposition != Disposition.ADOPTED and not reason:
        raise _fail(
            _("“%(d)s”须说明理由，请填写理由。") % {"d": Disposition(disposition).label}, "reason"
        )
    if len(reason) > MAX_REASON:
        raise _fail(_("理由不能超过 %(n)d 个字。") % {"n": MAX_REASON}, "reason")
    with transaction.atomic():
        round_ = _lock(round_id, None)
        _step(round_, Step.DISPOSE)
        try:
            pk = int(getattr(comment, "pk", comment))
        except (TypeError, ValueError):
            pk = 0
        row = Comment.objects.select_for_update().filter(pk=pk, round=round_).first()
        if row is None:
            raise _fail(_("该意见不属于本次征求意见。"), "comment")
        if row.version != version:
            raise ConcurrentEdit(
                _("该意见已被他人处理，您的处理未保存。请刷新页面查看最新处理结果后再操作。")
            )
        before = {"disposition": row.disposition, "reason_sm3": _digest(row.reason)}
        versioned.save(
            row,
            disposition=disposition,
            reason=reason,
            disposed_at=timezone.now(),
            disposed_by=actor.user,
        )
        audit.event(
            actor,
            "opinions.round.disposed",
            round_,
            round_.drafter_id,
            before=before,
            after={
                "comment": row.pk,
                "disposition": disposition,
                "reason_sm3": _digest(reason),
            },
        )
    return row


def _cancel_silent(actor: Actor, round_: OpinionRound) -> None:
    """The comment deadlines of invitees who never answered end with the round."""
    ids = list(round_.invitees.values_list("pk", flat=True))
    from django.contrib.contenttypes.models import ContentType

    live = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Invitee),
        object_id__in=ids,
        kind=DEADLINE_COMMENT,
        state__in=LIVE_STATES,
    )
    for deadline in live:
        deadline_services.deadline_cancel(
            actor=actor, deadline_id=deadline.pk, reason=str(_("征求意见已截止"))
        )


def round_close(*, actor: Actor, round_id: int, version: int) -> OpinionRound:
    """Close the round now (before its closing time): no more comments; the reminders of the
    invitees who have not answered end."""
    actor = access.require(actor, "opinions.round.manage", _get(round_id))
    with transaction.atomic():
        round_ = _lock(round_id, version)
        round_.state = _step(round_, Step.CLOSE)
        now = timezone.now()
        round_.closed_at = now
        if round_.closes_at is None or round_.closes_at > now:
            round_.closes_at = now
        _bump(round_, "state", "closed_at", "closes_at")
        _cancel_silent(actor, round_)
        audit.event(
            actor,
            "opinions.round.closed",
            round_,
            round_.drafter_id,
            after={"state": round_.state, "closed_at": now},
        )
    return round_


def round_conclude(*, actor: Actor, round_id: int, version: int) -> OpinionRound:
    """Conclude the round and issue the 意见采纳情况说明 (.docx on the round's page) to every
    commenter. Refused while comments may still come (before the close) or while a comment
    has no disposition."""
    actor = access.require(actor, "opinions.round.manage", _get(round_id))
    with transaction.atomic():
        round_ = _lock(round_id, version)
        target = _step(round_, Step.CONCLUDE)
        now = timezone.now()
        if round_.state == RoundState.OPEN and round_.closes_at > now:
            raise TransitionNotAllowed(
                _("征求意见尚未截止（%(at)s 截止），不能办结。如需提前结束，请先截止征求。")
                % {"at": timezone.localtime(round_.closes_at).strftime("%Y-%m-%d %H:%M")}
            )
        pending = round_.comments.filter(disposition="").count()
        if pending:
            raise TransitionNotAllowed(
                _("还有 %(n)d 条意见未处理，请逐条处理（采纳、部分采纳或未采纳）后再办结。")
                % {"n": pending}
            )
        if round_.closed_at is None:
            round_.closed_at = round_.closes_at
        round_.state = target
        round_.concluded_at = now
        round_.concluded_by = actor.user
        _bump(round_, "state", "closed_at", "concluded_at", "concluded_by")
        _cancel_silent(actor, round_)
        counts = {d: round_.comments.filter(disposition=d).count() for d in Disposition.values}
        audit.event(
            actor,
            "opinions.round.concluded",
            round_,
            round_.drafter_id,
            after={"state": round_.state, "dispositions": counts},
        )
        commenters = list(
            round_.invitees.filter(comments__isnull=False).distinct().select_related("person__user")
        )
        authors = list(
            round_.comments.select_related("author").values_list("author", flat=True).distinct()
        )
        from django.contrib.auth import get_user_model

        outbox.enqueue(
            kind="opinions.round.concluded",
            recipients=[
                *_invitee_users(round_, commenters),
                *get_user_model().objects.filter(pk__in=authors),
            ],
            title=_("《%(t)s》意见采纳情况说明已印发，可在平台下载") % {"t": round_.title},
            url=round_.get_absolute_url() + "#explanation",
            dedupe=f"opinion:{round_.pk}:concluded",
        )
    return round_


# --- The comment deadline's words ------------------------------------------------------------


def comment_messages(deadline: Deadline, point: dict[str, Any], now: Any) -> tuple[str, str]:
    """The sweep's words for a comment deadline: a reminder to the invitee who has not
    answered, and at the close a note to the drafting side of who stayed silent."""
    from wulian.core.deadlines.sweep import remaining_text

    due = timezone.localtime(deadline.due_at).strftime("%Y-%m-%d %H:%M")
    if point["kind"] == "escalation":
        return (
            _("未提出意见：%(title)s（%(org)s）")
            % {"title": deadline.title, "org": deadline.responsible_org.display_name},
            _("征求意见已于 %(due)s 截止，该单位或人员未提出意见，也未表示无意见。") % {"due": due},
        )
    return (
        _("期限提醒：%(title)s") % {"title": deadline.title},
        _("请于 %(due)s 前在平台提出意见或表示无意见，还剩 %(left)s。")
        % {"due": due, "left": remaining_text((deadline.due_at - now).total_seconds())},
    )


__all__ = [
    "comment_add",
    "comment_dispose",
    "invite",
    "no_opinion",
    "round_close",
    "round_conclude",
    "round_create",
    "round_open",
    "version_add",
]
