"""Writes of bulletins (通报): draft, edit, issue, sign for (签收), give feedback, open a series,
and the audited reading of a sensitive or clue-grade bulletin.

Each service: check access → transaction → lock the row → refuse a stale `version`
(ConcurrentEdit) → look the step up in the transition table → validate → save → one audit
event with this app's code → notifications and deadlines in the same transaction. The body of
a bulletin goes into the audit trail as an SM3 digest; the text stays on the record.

Other apps issue a bulletin in one call (the 通报 of concentrated opinions to the CDI, the
sharing of 联评 results)::

    issue_bulletin(actor, issuer_id=office.pk, title=…, body=…, recipient_ids=[cdi.pk],
                   linked_record=suggestion)

Receipt: each recipient signs within `receipt_working_days` working days (a deadline on the
recipient row: reminders at 50 % and 80 %, escalation to the issuer when it passes). A late
receipt is accepted and marked late. Feedback is optional, within `feedback_working_days`
working days of the issue; late feedback is accepted and marked late (what a recipient has to
say is not thrown away; the figures show it as late). Feedback needs the receipt first.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, records, versioned
from wulian.core.access import Actor
from wulian.core.bulletins.choices import (
    DEADLINE_RECEIPT,
    TRANSITIONS,
    BulletinSensitivity,
    BulletinState,
    Cadence,
    Step,
)
from wulian.core.bulletins.models import Bulletin, BulletinRecipient, BulletinSeries
from wulian.core.bulletins.policies import (
    MANAGER_ROLES,
    RECIPIENT_ROLES,
    REMINDED_ROLE,
    issuer_org_ids,
    receiving_org_ids,
)
from wulian.core.crypto import sm3_hex
from wulian.core.deadlines import rules
from wulian.core.deadlines import services as deadline_services
from wulian.core.deadlines.models import Deadline
from wulian.core.deadlines.rules import Rule
from wulian.core.deadlines.selectors import live_deadline
from wulian.core.errors import ConcurrentEdit, TransitionNotAllowed, ValidationFailed
from wulian.core.models import Organisation
from wulian.core.notifications import outbox
from wulian.core.selectors import users_holding
from wulian.core.servicekit import fail as _fail

MAX_TITLE = 200
MAX_BODY = 50_000
MAX_FEEDBACK = 10_000
MAX_RECIPIENTS = 200
MAX_DAYS = 60
CLUE_RECIPIENT_KINDS = frozenset({"cdi"})


def _digest(text: str) -> str:
    return sm3_hex(text.encode()) if text else ""


def _stale() -> ConcurrentEdit:
    return ConcurrentEdit(_("该通报已被他人修改，您的操作未执行。请刷新页面查看最新内容后再操作。"))


def _step(bulletin: Bulletin, step: str) -> str:
    target = TRANSITIONS.get((bulletin.state, step))
    if target is None:
        raise TransitionNotAllowed(
            _("该通报当前为“%(state)s”，不能%(step)s。")
            % {"state": bulletin.get_state_display(), "step": Step(step).label}
        )
    return target


def _get(bulletin_id: int) -> Bulletin:
    bulletin = Bulletin.objects.filter(pk=bulletin_id).first()
    if bulletin is None:
        raise ValidationFailed(_("通报不存在或已被删除。"))
    return bulletin


def _public_title(bulletin: Bulletin) -> str:
    """What a notification or a reminder may say of the bulletin."""
    label = bulletin.number_label
    if bulletin.series_id is not None:
        label = f"{bulletin.series.name}{label}"
    if bulletin.hides_title:
        return label or _("一份通报")
    return f"{label}{bulletin.title}" if label else bulletin.title


def _snapshot(bulletin: Bulletin, recipient_ids: list[int]) -> dict[str, Any]:
    return {
        "title": bulletin.title if not bulletin.hides_title else _digest(bulletin.title),
        "body_sm3": _digest(bulletin.body),
        "sensitivity": bulletin.sensitivity,
        "series": bulletin.series_id,
        "issuer": bulletin.issuer_id,
        "receipt_working_days": bulletin.receipt_working_days,
        "feedback_working_days": bulletin.feedback_working_days,
        "recipients": sorted(recipient_ids),
        "linked": (
            f"{bulletin.linked_type.app_label}.{bulletin.linked_type.model}#{bulletin.linked_id}"
            if bulletin.linked_type_id
            else None
        ),
    }


def _days(value: Any, field: str, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_DAYS:
        raise _fail(_("期限须为 1 到 %(n)d 个工作日。") % {"n": MAX_DAYS}, field)
    return days


def _clean(actor: Actor, data: dict[str, Any], *, issuer_id: int | None) -> dict[str, Any]:
    """The bulletin's fields from `data` (title, body, sensitivity, series_id, recipient_ids,
    receipt_working_days, feedback_working_days, linked_record), or ValidationFailed with every
    field's error."""
    errors: dict[str, list[str]] = {}
    issuer = Organisation.objects.filter(pk=issuer_id, is_active=True).first()
    if issuer is None or issuer.pk not in issuer_org_ids(actor):
        errors["issuer"] = [_("请选择您任职（工作人员或负责人）的监督单位作为印发单位。")]
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = [_("请填写通报标题。")]
    elif len(title) > MAX_TITLE:
        errors["title"] = [_("通报标题不能超过 %(n)d 个字。") % {"n": MAX_TITLE}]
    body = (data.get("body") or "").strip()
    if not body:
        errors["body"] = [_("请填写通报正文。")]
    elif len(body) > MAX_BODY:
        errors["body"] = [_("通报正文不能超过 %(n)d 个字。") % {"n": MAX_BODY}]
    sensitivity = data.get("sensitivity") or BulletinSensitivity.ORDINARY
    if sensitivity not in BulletinSensitivity.values:
        errors["sensitivity"] = [_("请选择敏感程度。")]
    series = None
    if data.get("series_id"):
        series = BulletinSeries.objects.filter(pk=data["series_id"]).first()
        if series is None or not series.is_active:
            errors["series"] = [_("所选定期通报不存在或已停用。")]
        elif issuer is not None and series.issuer_id != issuer.pk:
            errors["series"] = [_("所选定期通报不属于印发单位，请选择印发单位自己的定期通报。")]
    wanted = list(dict.fromkeys(int(i) for i in data.get("recipient_ids") or ()))
    recipients = list(Organisation.objects.filter(pk__in=wanted, is_active=True))
    if len(wanted) > MAX_RECIPIENTS:
        errors["recipients"] = [_("接收单位不能超过 %(n)d 个。") % {"n": MAX_RECIPIENTS}]
    elif len(recipients) != len(wanted):
        errors["recipients"] = [_("所选接收单位不存在或已停用。")]
    elif issuer is not None and issuer.pk in wanted:
        errors["recipients"] = [_("印发单位不能同时是接收单位。")]
    elif sensitivity == BulletinSensitivity.CLUE and any(
        o.kind not in CLUE_RECIPIENT_KINDS for o in recipients
    ):
        errors["recipients"] = [
            _("涉及问题线索的通报只能分送纪委监委（由其线索管理员签收），请删去其他接收单位。")
        ]
    linked = data.get("linked_record")
    if linked is not None:
        if not records.can_view(actor, linked):
            errors["linked_record"] = [_("所关联的记录不存在或您无权查看。")]
        elif (
            records.record_label(linked) == "clues.clue" and sensitivity != BulletinSensitivity.CLUE
        ):
            errors["sensitivity"] = [_("关联问题线索的通报，敏感程度须为“涉及问题线索”。")]
    try:
        receipt_days = _days(
            data.get("receipt_working_days"),
            "receipt_working_days",
            settings.BULLETIN_RECEIPT_WORKING_DAYS,
        )
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
        receipt_days = 0
    try:
        feedback_days = _days(
            data.get("feedback_working_days"),
            "feedback_working_days",
            settings.BULLETIN_FEEDBACK_WORKING_DAYS,
        )
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
        feedback_days = 0
    if errors:
        raise ValidationFailed(_("通报未保存，请按提示更正。"), field_errors=errors)
    assert issuer is not None
    recipients.sort(key=lambda o: wanted.index(o.pk))
    return {
        "issuer": issuer,
        "title": title,
        "body": body,
        "sensitivity": sensitivity,
        "series": series,
        "recipients": recipients,
        "receipt_working_days": receipt_days,
        "feedback_working_days": feedback_days,
        "linked": linked,
    }


def _set_recipients(bulletin: Bulletin, orgs: list[Organisation]) -> None:
    wanted = {o.pk for o in orgs}
    bulletin.recipients.exclude(organisation_id__in=wanted).delete()
    have = set(bulletin.recipients.values_list("organisation_id", flat=True))
    BulletinRecipient.objects.bulk_create(
        [BulletinRecipient(bulletin=bulletin, organisation=o) for o in orgs if o.pk not in have]
    )


# --- Series ---------------------------------------------------------------------------------


def series_create(*, actor: Actor, issuer_id: int, name: str, cadence: str) -> BulletinSeries:
    """Open a periodic series (定期通报) of the issuer: monthly or quarterly."""
    actor = access.require(actor, "bulletins.series.create")
    errors: dict[str, list[str]] = {}
    issuer = Organisation.objects.filter(pk=issuer_id, is_active=True).first()
    if issuer is None or issuer.pk not in issuer_org_ids(actor):
        errors["issuer"] = [_("请选择您任职（工作人员或负责人）的监督单位作为印发单位。")]
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("请填写通报名称。")]
    elif len(name) > 100:
        errors["name"] = [_("通报名称不能超过 100 个字。")]
    if cadence not in Cadence.values:
        errors["cadence"] = [_("请选择周期（每月或每季度）。")]
    if errors:
        raise ValidationFailed(_("定期通报未保存，请按提示更正。"), field_errors=errors)
    with transaction.atomic():
        series = BulletinSeries(issuer=issuer, name=name, cadence=cadence, created_by=actor.user)
        try:
            with transaction.atomic():
                series.save(force_insert=True)
        except IntegrityError:
            raise _fail(_("印发单位已有同名的定期通报。"), "name") from None
        audit.event(
            actor,
            "bulletins.series.created",
            series,
            issuer.pk,
            after={"name": name, "cadence": cadence, "issuer": issuer.pk},
        )
    return series


# --- Drafts ---------------------------------------------------------------------------------


def bulletin_create(*, actor: Actor, data: dict[str, Any]) -> Bulletin:
    """A draft bulletin. `data`: issuer_id, title, body, sensitivity, series_id,
    recipient_ids, receipt_working_days, feedback_working_days (defaults from the settings),
    linked_record (any record the actor sees, optional). A draft may still lack recipients;
    issuing needs them."""
    actor = access.require(actor, "bulletins.bulletin.create")
    values = _clean(actor, data, issuer_id=data.get("issuer_id"))
    linked = values["linked"]
    with transaction.atomic():
        bulletin = Bulletin(
            issuer=values["issuer"],
            series=values["series"],
            year=timezone.localdate().year,
            title=values["title"],
            body=values["body"],
            sensitivity=values["sensitivity"],
            receipt_working_days=values["receipt_working_days"],
            feedback_working_days=values["feedback_working_days"],
            created_by=actor.user,
        )
        if linked is not None:
            bulletin.linked_record = linked
        bulletin.save(force_insert=True)
        _set_recipients(bulletin, values["recipients"])
        audit.event(
            actor,
            "bulletins.bulletin.drafted",
            bulletin,
            bulletin.issuer_id,
            after=_snapshot(bulletin, [o.pk for o in values["recipients"]]),
        )
    return bulletin


def bulletin_update(
    *, actor: Actor, bulletin_id: int, version: int, data: dict[str, Any]
) -> Bulletin:
    """Change a draft (its issuer stays). Refused once issued, or when someone saved it since
    `version` was read."""
    actor = access.require(actor, "bulletins.bulletin.edit", _get(bulletin_id))
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin_id)
        if bulletin.version != version:
            raise _stale()
        _step(bulletin, Step.EDIT)
        values = _clean(actor, data, issuer_id=bulletin.issuer_id)
        before = _snapshot(
            bulletin, list(bulletin.recipients.values_list("organisation_id", flat=True))
        )
        for key in (
            "title",
            "body",
            "sensitivity",
            "series",
            "receipt_working_days",
            "feedback_working_days",
        ):
            setattr(bulletin, key, values[key])
        bulletin.linked_type, bulletin.linked_id = None, None
        if values["linked"] is not None:
            bulletin.linked_record = values["linked"]
        _set_recipients(bulletin, values["recipients"])
        old, new = audit.diff(before, _snapshot(bulletin, [o.pk for o in values["recipients"]]))
        if not new:
            return bulletin
        bulletin.version += 1
        bulletin.save()
        audit.event(
            actor, "bulletins.bulletin.updated", bulletin, bulletin.issuer_id, before=old, after=new
        )
    return bulletin


# --- Issue ----------------------------------------------------------------------------------


def _next_number(bulletin: Bulletin, year: int) -> int:
    """The next number of the year in the bulletin's series (or among the issuer's ad hoc
    bulletins), under a lock on the series (or the issuer) so that two issues never share one."""
    if bulletin.series_id is not None:
        BulletinSeries.objects.select_for_update().filter(pk=bulletin.series_id).first()
        same = Bulletin.objects.filter(series_id=bulletin.series_id, year=year)
    else:
        Organisation.objects.select_for_update().filter(pk=bulletin.issuer_id).first()
        same = Bulletin.objects.filter(issuer_id=bulletin.issuer_id, series__isnull=True, year=year)
    top = same.exclude(number__isnull=True).aggregate(m=Max("number"))["m"] or 0
    return top + 1


def _reminder_title(bulletin: Bulletin) -> str:
    return (_("签收通报：%(t)s") % {"t": _public_title(bulletin)})[:200]


def bulletin_issue(*, actor: Actor, bulletin_id: int, version: int) -> Bulletin:
    """Issue the draft: it gets its number (〔year〕第n期), each recipient its receipt deadline
    (N working days, reminders, escalation to the issuer) and its feedback window (M working
    days), and the recipients' people of the right role are told."""
    actor = access.require(actor, "bulletins.bulletin.issue", _get(bulletin_id))
    with transaction.atomic():
        bulletin = (
            Bulletin.objects.select_for_update(of=("self",))
            .select_related("issuer", "series")
            .get(pk=bulletin_id)
        )
        if bulletin.version != version:
            raise _stale()
        target = _step(bulletin, Step.ISSUE)
        recipients = list(bulletin.recipients.select_related("organisation"))
        if not recipients:
            raise _fail(_("请先在通报中选择至少一个接收单位，再印发。"), "recipients")
        inactive = [r.organisation.display_name for r in recipients if not r.organisation.is_active]
        if inactive:
            raise _fail(
                _("接收单位已停用：%(names)s。请修改分送范围后再印发。")
                % {"names": "、".join(inactive)},
                "recipients",
            )
        if bulletin.series_id is not None and not bulletin.series.is_active:
            raise _fail(_("所选定期通报已停用，请修改后再印发。"), "series")
        now = timezone.now()
        year = timezone.localdate().year
        versioned.save(
            bulletin,
            year=year,
            number=_next_number(bulletin, year),
            state=target,
            issued_at=now,
            issued_by=actor.user,
        )
        feedback_due = rules.due_at(Rule.working_days(bulletin.feedback_working_days), now)
        title = _reminder_title(bulletin)
        role = REMINDED_ROLE[bulletin.sensitivity]
        for rec in recipients:
            rec.bulletin = bulletin
            deadline = deadline_services.deadline_open(
                actor=actor,
                record=rec,
                kind=DEADLINE_RECEIPT,
                title=title,
                rule=Rule.working_days(bulletin.receipt_working_days),
                responsible_org=rec.organisation,
                responsible_role=role,
                assigner_org=bulletin.issuer,
                manage_action="bulletins.bulletinrecipient.manage",
                start=now,
            )
            rec.receipt_due_at = deadline.due_at
            rec.feedback_due_at = feedback_due
            rec.save(update_fields=["receipt_due_at", "feedback_due_at"])
        audit.event(
            actor,
            "bulletins.bulletin.issued",
            bulletin,
            bulletin.issuer_id,
            after={
                "state": bulletin.state,
                "year": year,
                "number": bulletin.number,
                "recipients": [r.organisation_id for r in recipients],
                "feedback_due_at": feedback_due,
            },
        )
        orgs = [r.organisation_id for r in recipients]
        outbox.enqueue(
            kind="bulletins.bulletin.issued",
            recipients=users_holding(orgs, RECIPIENT_ROLES[bulletin.sensitivity])
            if bulletin.sensitivity != BulletinSensitivity.CLUE
            else users_holding(orgs, [role]),
            title=_("请签收通报：%(t)s") % {"t": _public_title(bulletin)},
            url=bulletin.get_absolute_url(),
            dedupe=f"bulletin:{bulletin.pk}:issued",
        )
    return bulletin


def issue_bulletin(
    actor: Actor,
    *,
    issuer_id: int,
    title: str,
    body: str,
    recipient_ids: list[int],
    sensitivity: str = BulletinSensitivity.ORDINARY,
    series_id: int | None = None,
    linked_record: Any = None,
    receipt_working_days: int | None = None,
    feedback_working_days: int | None = None,
) -> Bulletin:
    """Draft and issue a bulletin in one step, for other apps (a 通报 of concentrated opinions
    to the CDI about a suggestion, 联评 results about an evaluation): `linked_record` is the
    record it reports on. All or nothing."""
    with transaction.atomic():
        draft = bulletin_create(
            actor=actor,
            data={
                "issuer_id": issuer_id,
                "title": title,
                "body": body,
                "sensitivity": sensitivity,
                "series_id": series_id,
                "recipient_ids": recipient_ids,
                "receipt_working_days": receipt_working_days,
                "feedback_working_days": feedback_working_days,
                "linked_record": linked_record,
            },
        )
        return bulletin_issue(actor=actor, bulletin_id=draft.pk, version=draft.version)


# --- Receipt and feedback -------------------------------------------------------------------


def _recipient(actor: Actor, bulletin: Bulletin, organisation_id: Any) -> BulletinRecipient:
    """The locked row of the organisation the actor acts for, or a refusal saying why."""
    rec = (
        BulletinRecipient.objects.select_for_update()
        .filter(bulletin=bulletin, organisation_id=organisation_id)
        .first()
        if organisation_id
        else None
    )
    if rec is None:
        raise _fail(
            _("该单位不在本通报的分送范围内，不能签收或反馈。请选择本通报的接收单位。"),
            "organisation",
        )
    if rec.organisation_id not in receiving_org_ids(actor, bulletin.sensitivity):
        raise _fail(
            _("您不能代表该单位签收或反馈本通报（须为该单位%(roles)s）。")
            % {
                "roles": "、".join(
                    str(label)
                    for value, label in _role_labels()
                    if value in RECIPIENT_ROLES[bulletin.sensitivity]
                )
            },
            "organisation",
        )
    return rec


def _role_labels() -> list[tuple[str, str]]:
    from wulian.core.choices import Role

    return list(Role.choices)


def _issued(bulletin_id: int) -> Bulletin:
    bulletin = (
        Bulletin.objects.select_for_update(of=("self",))
        .select_related("series", "issuer")
        .get(pk=bulletin_id)
    )
    if bulletin.state != BulletinState.ISSUED:
        raise TransitionNotAllowed(_("该通报尚未印发，不能签收或反馈。"))
    return bulletin


def bulletin_sign(*, actor: Actor, bulletin_id: int, organisation_id: int) -> BulletinRecipient:
    """The recipient organisation signs for the bulletin (签收). Once only; after the due time
    it is accepted and marked late. The receipt deadline is closed (met or missed)."""
    actor = access.require(actor, "bulletins.bulletin.sign", _get(bulletin_id))
    with transaction.atomic():
        bulletin = _issued(bulletin_id)
        rec = _recipient(actor, bulletin, organisation_id)
        if rec.signed_at is not None:
            raise TransitionNotAllowed(
                _("%(org)s已于 %(at)s 签收本通报，不能重复签收。")
                % {
                    "org": rec.organisation.display_name,
                    "at": timezone.localtime(rec.signed_at).strftime("%Y-%m-%d %H:%M"),
                }
            )
        now = timezone.now()
        rec.signed_at = now
        rec.signed_by = actor.user
        rec.signed_late = rec.receipt_due_at is not None and now > rec.receipt_due_at
        rec.save(update_fields=["signed_at", "signed_by", "signed_late"])
        deadline = live_deadline(rec, DEADLINE_RECEIPT)
        if deadline is not None:
            deadline_services.deadline_meet(actor=actor, deadline_id=deadline.pk)
        outbox.announce(
            actor,
            "bulletins.bulletin.signed",
            bulletin,
            rec.organisation_id,
            after={"organisation": rec.organisation_id, "late": rec.signed_late},
            recipients=users_holding([bulletin.issuer_id], MANAGER_ROLES),
            title=_("%(org)s已签收通报：%(t)s")
            % {"org": rec.organisation.display_name, "t": _public_title(bulletin)},
            dedupe=f"bulletin:{bulletin.pk}:signed:{rec.organisation_id}",
        )
    return rec


def bulletin_feedback(
    *, actor: Actor, bulletin_id: int, organisation_id: int, text: str
) -> BulletinRecipient:
    """The recipient's feedback (反馈意见), once, after its receipt. After the window it is
    accepted and marked late."""
    actor = access.require(actor, "bulletins.bulletin.feedback", _get(bulletin_id))
    with transaction.atomic():
        bulletin = _issued(bulletin_id)
        rec = _recipient(actor, bulletin, organisation_id)
        body = (text or "").strip()
        if not body:
            raise _fail(_("请填写反馈意见。"), "text")
        if len(body) > MAX_FEEDBACK:
            raise _fail(_("反馈意见不能超过 %(n)d 个字。") % {"n": MAX_FEEDBACK}, "text")
        if rec.signed_at is None:
            raise TransitionNotAllowed(_("请先签收本通报，再提交反馈意见。"))
        if rec.feedback_at is not None:
            raise TransitionNotAllowed(
                _("%(org)s已提交过反馈意见，不能重复提交。")
                % {"org": rec.organisation.display_name}
            )
        now = timezone.now()
        rec.feedback = body
        rec.feedback_at = now
        rec.feedback_by = actor.user
        rec.feedback_late = rec.feedback_due_at is not None and now > rec.feedback_due_at
        rec.save(update_fields=["feedback", "feedback_at", "feedback_by", "feedback_late"])
        outbox.announce(
            actor,
            "bulletins.bulletin.feedback_given",
            bulletin,
            rec.organisation_id,
            after={
                "organisation": rec.organisation_id,
                "late": rec.feedback_late,
                "text_sm3": _digest(body),
            },
            recipients=users_holding([bulletin.issuer_id], MANAGER_ROLES),
            title=_("%(org)s反馈了通报：%(t)s")
            % {"org": rec.organisation.display_name, "t": _public_title(bulletin)},
            dedupe=f"bulletin:{bulletin.pk}:feedback:{rec.organisation_id}",
        )
    return rec


# --- The receipt deadline's words -----------------------------------------------------------


def receipt_messages(deadline: Deadline, point: dict[str, Any], now: Any) -> tuple[str, str]:
    """The sweep's words for a receipt deadline (`sweep.word_messages`): a reminder to the
    recipient, and at the due time the issuer is told which organisation has not signed. The
    deadline's title carries the bulletin's number (and its title only when ordinary)."""
    from wulian.core.deadlines.sweep import remaining_text

    due = timezone.localtime(deadline.due_at).strftime("%Y-%m-%d %H:%M")
    org = deadline.responsible_org.display_name
    if point["kind"] == "escalation":
        return (
            _("逾期未签收：%(title)s（%(org)s）") % {"title": deadline.title, "org": org},
            _(
                "%(org)s未在期限（%(n)d 个工作日，%(due)s 前）内签收，已逾期 %(late)s。"
                "请联系该单位督促签收。"
            )
            % {
                "org": org,
                "n": deadline.rule_amount,
                "due": due,
                "late": remaining_text((now - deadline.due_at).total_seconds()),
            },
        )
    return (
        _("期限提醒：%(title)s") % {"title": deadline.title},
        _("请于 %(due)s 前在平台签收，还剩 %(left)s。")
        % {"due": due, "left": remaining_text((deadline.due_at - now).total_seconds())},
    )


# --- Audited reading ------------------------------------------------------------------------


def bulletin_read(*, actor: Actor, bulletin: Bulletin, via: str = "page") -> None:
    """Record a reading of a sensitive or clue-grade bulletin (its page, its .docx, the API),
    before anything is shown. Ordinary bulletins are not recorded."""
    access.require(actor, "bulletins.bulletin.view", bulletin)
    if bulletin.sensitivity == BulletinSensitivity.ORDINARY:
        return
    audit.event(
        actor,
        "bulletins.bulletin.read",
        bulletin,
        bulletin.issuer_id,
        after={"sensitivity": bulletin.sensitivity, "via": via, "state": bulletin.state},
    )


__all__ = [
    "bulletin_create",
    "bulletin_feedback",
    "bulletin_issue",
    "bulletin_read",
    "bulletin_sign",
    "bulletin_update",
    "issue_bulletin",
    "series_create",
]
