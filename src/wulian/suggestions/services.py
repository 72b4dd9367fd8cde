"""Writes of deputies' suggestions (联办): one service per step.

Each service: check access → transaction → lock the suggestion (`select_for_update`) → refuse a
stale `version` (ConcurrentEdit) → look the step up in the transition table
(TransitionNotAllowed) → validate → save only what changed → one audit event with this app's
code → notifications in the same transaction. Deadlines are opened, met and cancelled through
the deadlines app (its own audit events, on the same record).

The time limits are the local rules' numbers in settings (`SUGGESTION_*`): assignment of a
suggestion raised between sessions (working days after acceptance), receipt or send-back
(working days after assignment), contact with the deputy (hours after receipt), the reply
(months after assignment, at most `SUGGESTION_REPLY_MAX_MONTHS` with an approved extension),
the re-reply after 不满意 (months, at most `SUGGESTION_REREPLY_MAX_MONTHS` after the reopening
with an approved extension), the deputy's verdict (working days after each reply; a miss tells
the congress office to follow up), a supervision order's report (working days).

Verdicts are private: notifications about them never say what was rated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, records
from wulian.core.choices import CONGRESS_SIDE, OrgKind
from wulian.core.crypto import sm3_hex
from wulian.core.deadlines import rules as deadline_rules
from wulian.core.deadlines import services as deadline_services
from wulian.core.deadlines.choices import LIVE_STATES, DeadlineState, Decision
from wulian.core.deadlines.models import Deadline, ExtensionRequest
from wulian.core.deadlines.rules import Rule
from wulian.core.errors import (
    AccessDenied,
    ConcurrentEdit,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import Organisation, Person
from wulian.core.notifications import outbox
from wulian.core.selectors import users_holding
from wulian.suggestions import merging, redact, search, selectors
from wulian.suggestions.choices import (
    ACTIVE_ASSIGNMENT,
    CO_REPLACE_STATES,
    DEADLINE_ASSIGN,
    DEADLINE_CONTACT,
    DEADLINE_RECEIPT,
    DEADLINE_REPLY,
    DEADLINE_REREPLY,
    DEADLINE_VERDICT,
    REPLY_DEADLINES,
    SATISFACTION_RANK,
    STEP_STATES,
    TRANSITIONS,
    AssignmentRole,
    AssignmentStatus,
    BatchState,
    CampaignState,
    Category,
    ContactMethod,
    NotAcceptedReason,
    OpinionState,
    RaisedDuring,
    ReplyCategory,
    Satisfaction,
    Step,
    SuggestionStatus,
    SupervisionKind,
    SupervisionState,
)
from wulian.suggestions.models import (
    Assignment,
    AssignmentBatch,
    Campaign,
    CampaignOpinion,
    CongressSession,
    Contact,
    CoSigner,
    CoUnitOpinion,
    Reply,
    Suggestion,
    SupervisionOrder,
    Verdict,
)
from wulian.suggestions.policies import (
    DESK_ROLES,
    assigning_org_ids,
    clock_granted,
    congress_org_ids,
    gov_office_org_ids,
)

S = SuggestionStatus
MAX_TITLE = 200
MAX_TEXT = 20_000
MAX_NOTE = 5_000
MAX_COSIGNERS = 50
MAX_CO_UNITS = 10
MAX_BATCH = 500
MAX_FILES = 10
# A contact time typed a few minutes before the receipt (clocks differ) is accepted.
CLOCK_SKEW = timedelta(minutes=5)
# Organisations that may handle a suggestion (never a supervising body).
HANDLING_KINDS = frozenset(
    {
        OrgKind.HANDLING_UNIT,
        OrgKind.GOVERNMENT,
        OrgKind.COURT,
        OrgKind.PROCURATORATE,
        OrgKind.OTHER,
    }
)


# --- Helpers -------------------------------------------------------------------------------


def _fail(message: str, field: str | None = None) -> ValidationFailed:
    return ValidationFailed(message, field_errors={field: [message]} if field else None)


def _digest(text: str) -> str:
    return sm3_hex(text.encode()) if text else ""


def _text(
    value: Any, field: str, label: str, *, required: bool = True, limit: int = MAX_TEXT
) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if required and not text:
        raise _fail(_("请填写%(label)s。") % {"label": label}, field)
    if len(text) > limit:
        raise _fail(_("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": limit}, field)
    return text


def _stale() -> ConcurrentEdit:
    return ConcurrentEdit(
        _("该建议已被他人处理或修改，您的操作未执行。请刷新页面查看最新状态后再操作。")
    )


def _step(suggestion: Suggestion, step: str) -> str:
    target = TRANSITIONS.get((suggestion.status, step))
    if target is None:
        raise TransitionNotAllowed(
            _("该建议当前为“%(state)s”，不能%(step)s。")
            % {"state": suggestion.get_status_display(), "step": Step(step).label}
        )
    return target


def _require_state(suggestion: Suggestion, step: str) -> None:
    if suggestion.status not in STEP_STATES[step]:
        raise TransitionNotAllowed(
            _("该建议当前为“%(state)s”，不能%(step)s。")
            % {"state": suggestion.get_status_display(), "step": Step(step).label}
        )


def _get(suggestion_id: int) -> Suggestion:
    suggestion = Suggestion.objects.filter(pk=suggestion_id).first()
    if suggestion is None:
        raise ValidationFailed(_("建议不存在。"))
    return suggestion


def _lock(suggestion_id: int, version: int | None = None) -> Suggestion:
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion_id)
    if version is not None and suggestion.version != version:
        raise _stale()
    return suggestion


def _snapshot(s: Suggestion) -> dict[str, Any]:
    return {
        "status": s.status,
        "lead_unit": s.lead_unit_id,
        "reply_round": s.reply_round,
    }


def _save(s: Suggestion, *fields: str) -> None:
    s.version += 1
    s.save(update_fields=[*fields, "version", "updated_at"])


def _live_deadline(record: Any, kind: str) -> Deadline | None:
    return (
        Deadline.objects.filter(**records.reference(record), kind=kind, state__in=LIVE_STATES)
        .order_by("-id")
        .first()
    )


def _meet(actor: Any, record: Any, kind: str) -> Deadline | None:
    deadline = _live_deadline(record, kind)
    if deadline is None:
        return None
    with clock_granted():
        return deadline_services.deadline_meet(actor=actor, deadline_id=deadline.pk)


def _cancel(actor: Any, record: Any, kind: str, reason: str) -> None:
    deadline = _live_deadline(record, kind)
    if deadline is not None:
        with clock_granted():
            deadline_services.deadline_cancel(actor=actor, deadline_id=deadline.pk, reason=reason)


def _open(actor: Any, record: Any, **kwargs: Any) -> Deadline:
    with clock_granted():
        return deadline_services.deadline_open(
            actor=actor, record=record, manage_action="suggestions.suggestion.clock", **kwargs
        )


def _oversight_orgs() -> list[Organisation]:
    """Where an overdue contact or reply is escalated: the government supervision office and
    the stationed group."""
    return list(
        Organisation.objects.filter(
            kind__in=[OrgKind.GOV_SUPERVISION_OFFICE, OrgKind.STATIONED_GROUP], is_active=True
        )
    )


def _users_of_people(person_ids: Iterable[int]) -> list[Any]:
    from wulian.accounts.models import User

    ids = [i for i in person_ids if i is not None]
    if not ids:
        return []
    return list(User.objects.filter(person__id__in=ids, is_active=True))


def _deputies(s: Suggestion) -> list[Any]:
    """The accounts of the lead deputy and every co-signer (each gets the reply)."""
    ids = [
        s.lead_deputy_id,
        *CoSigner.objects.filter(suggestion=s).values_list("person_id", flat=True),
    ]
    return _users_of_people(ids)


def _lead_deputy_users(s: Suggestion) -> list[Any]:
    return _users_of_people([s.lead_deputy_id])


def _office_users(s: Suggestion) -> list[Any]:
    return users_holding([s.office_id], DESK_ROLES)


def _gov_office_users() -> list[Any]:
    ids = Organisation.objects.filter(
        kind=OrgKind.GOV_SUPERVISION_OFFICE, is_active=True
    ).values_list("pk", flat=True)
    return users_holding(list(ids), DESK_ROLES)


def _notify(
    s: Suggestion,
    *,
    kind: str,
    recipients: Iterable[Any],
    title: str,
    occurrence: str,
    body: str = "",
) -> None:
    outbox.enqueue(
        kind=kind,
        recipients=recipients,
        title=title,
        body=body,
        url=s.get_absolute_url(),
        dedupe=f"suggestion:{s.pk}:{occurrence}",
    )


def _store_files(actor: Any, record: Any, files: Sequence[Any], stored: list[Any]) -> None:
    from wulian.core.attachments.services import attachment_add

    if len(files) > MAX_FILES:
        raise _fail(_("附件不能超过 %(n)d 个。") % {"n": MAX_FILES}, "files")
    for f in files:
        stored.append(attachment_add(actor=actor, record=record, upload=f))


def _discard_files(attachments: list[Any]) -> None:
    for att in attachments:
        default_storage.delete(att.storage_name)


def _handling_unit(org_id: Any, field: str) -> Organisation:
    try:
        pk = int(org_id)
    except (TypeError, ValueError):
        raise _fail(_("请选择承办单位。"), field) from None
    org = Organisation.objects.filter(pk=pk, is_active=True).first()
    if org is None:
        raise _fail(_("所选承办单位不存在或已停用。"), field)
    if org.kind not in HANDLING_KINDS:
        raise _fail(_("“%(name)s”是监督机关，不能作为承办单位。") % {"name": org.name}, field)
    return org


def _title(s: Suggestion) -> str:
    return f"{s.session.name}{s.number_label}《{s.title}》"


# --- Sessions --------------------------------------------------------------------------------


def session_create(*, actor: Any, data: dict[str, Any]) -> CongressSession:
    """A session of the congress (届次/会次), reference data of congress staff."""
    who = access.require(actor, "suggestions.suggestion.manage")
    errors: dict[str, list[str]] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = [_("请填写届次会次，如“市十五届人大二次会议”。")]
    elif len(name) > 60:
        errors["name"] = [_("届次会次不能超过 60 个字。")]
    elif CongressSession.objects.filter(name=name).exists():
        errors["name"] = [_("该届次会次已存在。")]
    opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
    if not isinstance(opens_on, date):
        errors["opens_on"] = [_("请填写开幕日期。")]
    if not isinstance(closes_on, date):
        errors["closes_on"] = [_("请填写闭幕日期。")]
    elif isinstance(opens_on, date) and closes_on < opens_on:
        errors["closes_on"] = [_("闭幕日期不能早于开幕日期。")]
    office = Organisation.objects.filter(
        pk=data.get("office_id"), is_active=True, kind__in=sorted(CONGRESS_SIDE)
    ).first()
    if office is None:
        errors["office"] = [_("请选择负责建议工作的人大工作机构。")]
    if errors:
        raise ValidationFailed(_("会次未保存，请按提示更正。"), field_errors=errors)
    with transaction.atomic():
        is_current = bool(data.get("is_current"))
        if is_current:
            CongressSession.objects.filter(is_current=True).update(is_current=False)
        session = CongressSession.objects.create(
            name=name,
            year=data.get("year") or opens_on.year,
            opens_on=opens_on,
            closes_on=closes_on,
            office=office,
            is_current=is_current,
        )
        audit.record(
            action="suggestions.session.created",
            actor=who,
            target=session,
            organisation_id=office.pk,
            after={
                "name": name,
                "opens_on": opens_on,
                "closes_on": closes_on,
                "office": office.pk,
                "is_current": is_current,
            },
        )
    return session


# --- Submission, withdrawal, review ----------------------------------------------------------


def _clean_submission(who: access.Actor, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}

    def check(fn: Any) -> Any:
        try:
            return fn()
        except ValidationFailed as exc:
            for k, v in exc.field_errors.items():
                errors.setdefault(k, []).extend(v)
            return None

    values: dict[str, Any] = {}
    values["title"] = check(lambda: _text(data.get("title"), "title", _("标题"), limit=MAX_TITLE))
    values["content"] = check(lambda: _text(data.get("content"), "content", _("内容")))
    category = data.get("category") or ""
    if category not in Category.values:
        errors["category"] = [_("请选择建议类别。")]
    values["category"] = category
    session = None
    if data.get("session_id"):
        session = CongressSession.objects.filter(pk=data.get("session_id")).first()
    else:
        session = CongressSession.objects.filter(is_current=True).first()
    if session is None:
        errors["session"] = [_("请选择届次会次（尚未设置当前会次时请联系人大代表工委）。")]
    values["session"] = session
    raised = data.get("raised_during") or ""
    if not raised and session is not None:
        today = timezone.localdate()
        raised = (
            RaisedDuring.SESSION
            if session.opens_on <= today <= session.closes_on
            else RaisedDuring.RECESS
        )
    if raised not in RaisedDuring.values:
        errors["raised_during"] = [_("请选择大会期间或闭会期间。")]
    values["raised_during"] = raised
    # A deputy submits their own; congress staff name the lead deputy.
    staff = bool(congress_org_ids(who))
    lead_id = data.get("lead_deputy_id") if staff else who.person_id
    if not staff and data.get("lead_deputy_id") and int(data["lead_deputy_id"]) != who.person_id:
        errors["lead_deputy"] = [_("代表只能以本人名义领衔提出建议。")]
    lead = Person.objects.filter(pk=lead_id, is_active=True).first() if lead_id else None
    if lead is None:
        errors["lead_deputy"] = [_("请选择领衔代表。")]
    values["lead_deputy"] = lead
    wanted: list[int] = []
    for raw in data.get("co_signer_ids") or ():
        try:
            wanted.append(int(raw))
        except (TypeError, ValueError):
            errors["co_signers"] = [_("附议代表无效。")]
    wanted = [i for i in dict.fromkeys(wanted) if lead is None or i != lead.pk]
    co = list(Person.objects.filter(pk__in=wanted, is_active=True))
    if len(wanted) > MAX_COSIGNERS:
        errors["co_signers"] = [_("附议代表不能超过 %(n)d 人。") % {"n": MAX_COSIGNERS}]
    elif len(co) != len(wanted):
        errors["co_signers"] = [_("所选附议代表不存在或已停用。")]
    co.sort(key=lambda p: wanted.index(p.pk))
    values["co_signers"] = co
    if errors:
        raise ValidationFailed(_("建议未提交，请按提示更正。"), field_errors=errors)
    return values


def suggestion_submit(*, actor: Any, data: dict[str, Any], files: Sequence[Any] = ()) -> Suggestion:
    """Submit a suggestion: a deputy their own, congress staff on a deputy's behalf. It gets
    the next number of its session (第N号).

    `data`: session_id (default the current session), title, content, category,
    raised_during (default from the session's dates), lead_deputy_id (staff only),
    co_signer_ids."""
    who = access.require(actor, "suggestions.suggestion.submit")
    values = _clean_submission(who, data)
    co = values.pop("co_signers")
    stored: list[Any] = []
    try:
        with transaction.atomic():
            session = CongressSession.objects.select_for_update().get(pk=values["session"].pk)
            last = Suggestion.objects.filter(session=session).aggregate(m=Max("number"))["m"]
            suggestion = Suggestion(
                **values,
                number=(last or 0) + 1,
                office_id=session.office_id,
                submitted_by=who.user,
                submitted_at=timezone.now(),
                search_tokens=search.tokens_for(values["title"], values["content"]),
            )
            suggestion.save(force_insert=True)
            CoSigner.objects.bulk_create(
                [
                    CoSigner(suggestion=suggestion, person=p, position=i)
                    for i, p in enumerate(co, start=1)
                ]
            )
            _store_files(who, suggestion, files, stored)
            audit.record(
                action="suggestions.suggestion.submitted",
                actor=who,
                target=suggestion,
                organisation_id=suggestion.office_id,
                after={
                    "session": session.pk,
                    "number": suggestion.number,
                    "status": suggestion.status,
                    "category": suggestion.category,
                    "raised_during": suggestion.raised_during,
                    "lead_deputy": suggestion.lead_deputy_id,
                    "co_signers": [p.pk for p in co],
                    "on_behalf": who.person_id != suggestion.lead_deputy_id,
                    "content_sm3": _digest(suggestion.content),
                    "attachments": [a.pk for a in stored],
                },
            )
            _notify(
                suggestion,
                kind="suggestions.suggestion.submitted",
                recipients=_office_users(suggestion),
                title=_("收到代表建议 %(t)s，请审查") % {"t": _title(suggestion)},
                occurrence="submitted",
            )
    except BaseException:
        _discard_files(stored)
        raise
    return suggestion


def suggestion_withdraw(
    *, actor: Any, suggestion_id: int, version: int, statement: str, letter_date: date | None = None
) -> Suggestion:
    """Withdrawal, only in writing: the deputy's own written statement, or congress staff
    recording the deputy's letter (with its date). It ends handling: every assignment ends and
    every clock on the suggestion stops."""
    who = access.require(actor, "suggestions.suggestion.withdraw", _get(suggestion_id))
    statement = _text(statement, "statement", _("书面撤回说明"), limit=MAX_NOTE)
    on_behalf = not (
        who.person_id is not None and _get(suggestion_id).lead_deputy_id == who.person_id
    )
    if on_behalf and not isinstance(letter_date, date):
        raise _fail(_("代为撤回须登记代表书面撤回申请的日期。"), "letter_date")
    if isinstance(letter_date, date) and letter_date > timezone.localdate():
        raise _fail(_("书面申请日期不能晚于今天。"), "letter_date")
    with transaction.atomic():
        s = _lock(suggestion_id, version)
        target = _step(s, Step.WITHDRAW)
        merging.require_no_open_followers(s)
        before = _snapshot(s)
        reason = _("代表书面撤回建议")
        active = list(
            Assignment.objects.select_for_update()
            .filter(suggestion=s, status__in=ACTIVE_ASSIGNMENT)
            .order_by("id")
        )
        for a in active:
            _cancel(who, a, DEADLINE_RECEIPT, reason)
        for kind in (
            DEADLINE_ASSIGN,
            DEADLINE_CONTACT,
            DEADLINE_REPLY,
            DEADLINE_REREPLY,
            DEADLINE_VERDICT,
        ):
            _cancel(who, s, kind, reason)
        now = timezone.now()
        for a in active:
            a.status = AssignmentStatus.ENDED
            a.ended_at = now
            a.version += 1
            a.save(update_fields=["status", "ended_at", "version", "updated_at"])
        s.status = target
        s.withdrawn_at = now
        s.withdrawal_statement = statement
        _save(s, "status", "withdrawn_at", "withdrawal_statement")
        audit.record(
            action="suggestions.suggestion.withdrawn",
            actor=who,
            target=s,
            organisation_id=s.office_id,
            before=before,
            after={
                **_snapshot(s),
                "on_behalf": on_behalf,
                "letter_date": letter_date,
                "statement_sm3": _digest(statement),
                "ended_assignments": [a.pk for a in active],
            },
        )
        units = users_holding([a.unit_id for a in active])
        _notify(
            s,
            kind="suggestions.suggestion.withdrawn",
            recipients=[*_office_users(s), *units, *_lead_deputy_users(s)],
            title=_("代表已书面撤回建议 %(t)s，办理终止") % {"t": _title(s)},
            occurrence="withdrawn",
        )
    return s


def suggestion_accept(*, actor: Any, suggestion_id: int, version: int) -> Suggestion:
    """Review: accepted (立案). A suggestion raised between sessions must then be assigned
    within SUGGESTION_ASSIGN_WORKING_DAYS working days (a deadline on the office)."""
    who = access.require(actor, "suggestions.suggestion.review", _get(suggestion_id))
    with transaction.atomic():
        s = _lock(suggestion_id, version)
        target = _step(s, Step.REVIEW_ACCEPT)
        before = _snapshot(s)
        s.status = target
        s.reviewed_at = timezone.now()
        s.reviewed_by = who.user
        _save(s, "status", "reviewed_at", "reviewed_by")
        if s.raised_during == RaisedDuring.RECESS:
            office = Organisation.objects.get(pk=s.office_id)
            _open(
                who,
                s,
                kind=DEADLINE_ASSIGN,
                title=(_("交办闭会期间建议 %(t)s") % {"t": _title(s)})[:200],
                rule=Rule.working_days(settings.SUGGESTION_ASSIGN_WORKING_DAYS),
                responsible_org=office,
                assigner_org=office,
            )
        audit.record(
            action="suggestions.suggestion.accepted",
            actor=who,
            target=s,
            organisation_id=s.office_id,
            before=before,
            after=_snapshot(s),
        )
        _notify(
            s,
            kind="suggestions.suggestion.accepted",
            recipients=_lead_deputy_users(s),
            title=_("您的建议 %(t)s 已立案，将交有关单位办理") % {"t": _title(s)},
            occurrence="accepted",
        )
    return s


def suggestion_reject(
    *, actor: Any, suggestion_id: int, version: int, reason: str, note: str = ""
) -> Suggestion:
    """Review: not accepted (不予立案) for one of the standard reasons; the deputy is told why
    (the reason and the explanation are the letter)."""
    who = access.require(actor, "suggestions.suggestion.review", _get(suggestion_id))
    if reason not in NotAcceptedReason.values:
        raise _fail(_("请选择不予立案的理由。"), "reason")
    note = _text(
        note, "note", _("说明"), required=reason == NotAcceptedReason.OTHER, limit=MAX_NOTE
    )
    with transaction.atomic():
        s = _lock(suggestion_id, version)
        target = _step(s, Step.REVIEW_REJECT)
        before = _snapshot(s)
        s.status = target
        s.reviewed_at = timezone.now()
        s.reviewed_by = who.user
        s.not_accepted_reason = reason
        s.not_accepted_note = note
        _save(s, "status", "reviewed_at", "reviewed_by", "not_accepted_reason", "not_accepted_note")
        audit.record(
            action="suggestions.suggestion.not_accepted",
            actor=who,
            target=s,
            organisation_id=s.office_id,
            before=before,
            after={**_snapshot(s), "reason": reason, "note_sm3": _digest(note)},
        )
        _notify(
            s,
            kind="suggestions.suggestion.not_accepted",
            recipients=[*_users_of_people([s.lead_deputy_id]), s.submitted_by],
            title=_("您的建议 %(t)s 未予立案：%(reason)s")
            % {"t": _title(s), "reason": NotAcceptedReason(reason).label},
            body=note,
            occurrence="not_accepted",
        )
    return s


# --- Joint assignment (联交) -----------------------------------------------------------------


def _proposing_org(who: access.Actor, org_id: Any) -> Organisation:
    mine = assigning_org_ids(who)
    if org_id:
        org = Organisation.objects.filter(pk=org_id, is_active=True).first()
        if org is None or org.pk not in mine:
            raise _fail(_("请选择您任职的人大工作机构或政务督查室。"), "proposed_org")
        return org
    orgs = list(Organisation.objects.filter(pk__in=mine, is_active=True).order_by("id"))
    if len(orgs) != 1:
        raise _fail(_("请选择以哪个单位的名义拟办。"), "proposed_org")
    return orgs[0]


def _pending_suggestion_ids(exclude_batch: int | None = None) -> set[int]:
    """Suggestions already in a batch waiting for the other side's confirmation."""
    ids: set[int] = set()
    qs = AssignmentBatch.objects.filter(state=BatchState.PROPOSED)
    if exclude_batch is not None:
        qs = qs.exclude(pk=exclude_batch)
    for items in qs.values_list("items", flat=True):
        ids.update(int(i["suggestion"]) for i in items)
    return ids


def batch_propose(
    *,
    actor: Any,
    items: Sequence[dict[str, Any]],
    proposed_org_id: int | None = None,
    note: str = "",
    consultation_id: int | None = None,
) -> AssignmentBatch:
    """Prepare a joint assignment of one or many suggestions: for each, the lead unit (主办)
    and any co-units (会办). The other side (the supervision office for congress staff, and
    the other way round) confirms it.

    `items`: [{"suggestion_id", "version", "lead_unit_id", "co_unit_ids"}]."""
    who = access.require(actor, "suggestions.suggestion.assign")
    org = _proposing_org(who, proposed_org_id)
    note = _text(note, "note", _("交办说明"), required=False, limit=MAX_NOTE)
    if not items:
        raise _fail(_("请至少选择一件建议。"), "items")
    if len(items) > MAX_BATCH:
        raise _fail(_("一批最多交办 %(n)d 件建议。") % {"n": MAX_BATCH}, "items")
    consultation = None
    if consultation_id:
        from wulian.core.activities.models import Activity

        consultation = Activity.objects.filter(pk=consultation_id).first()
        if consultation is None or not records.can_view(who, consultation):
            raise _fail(_("所选会商活动不存在或您无权查看。"), "consultation")
    with transaction.atomic():
        # Lock the suggestions first: two people preparing the same suggestion at once are
        # serialised, and the second sees the first's batch.
        ids = [i.get("suggestion_id") for i in items]
        suggestions = {
            s.pk: s
            for s in Suggestion.objects.select_for_update().filter(pk__in=ids).order_by("id")
        }
        return _propose_locked(who, org, items, suggestions, note, consultation)


def _propose_locked(
    who: access.Actor,
    org: Organisation,
    items: Sequence[dict[str, Any]],
    suggestions: dict[int, Suggestion],
    note: str,
    consultation: Any,
) -> AssignmentBatch:
    pending = _pending_suggestion_ids()
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
            proposed_by=who.user,
            proposed_at=timezone.now(),
            items=planned,
            note=note,
            consultation=consultation,
        )
        audit.record(
            action="suggestions.batch.proposed",
            actor=who,
            target=batch,
            organisation_id=org.pk,
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
    batch = (
        AssignmentBatch.objects.select_for_update(of=("self",))
        .select_related("proposed_org")
        .filter(pk=batch_id)
        .first()
    )
    if batch is None:
        raise ValidationFailed(_("交办批次不存在。"))
    if batch.version != version:
        raise ConcurrentEdit(_("该交办批次已被他人处理，您的操作未执行。请刷新页面后再操作。"))
    if batch.state != BatchState.PROPOSED:
        raise TransitionNotAllowed(
            _("该交办批次当前为“%(state)s”，不能再会签或退回。")
            % {"state": batch.get_state_display()}
        )
    return batch


def _batch_for_rule(batch_id: int) -> AssignmentBatch:
    batch = AssignmentBatch.objects.select_related("proposed_org").filter(pk=batch_id).first()
    if batch is None:
        raise ValidationFailed(_("交办批次不存在。"))
    return batch


def _respond_by(now: datetime) -> datetime:
    """Until when a unit assigned now may receive or send back: N working days."""
    return deadline_rules.due_at(Rule.working_days(settings.SUGGESTION_RECEIPT_WORKING_DAYS), now)


def _assign_unit(
    who: access.Actor,
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
                assigned_by=who.user,
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
        who,
        a,
        kind=DEADLINE_RECEIPT,
        title=(_("签收或退回代表建议 %(t)s") % {"t": _title(s)})[:200],
        rule=Rule.working_days(settings.SUGGESTION_RECEIPT_WORKING_DAYS),
        start=now,
        responsible_org=unit,
        assigner_org=Organisation.objects.get(pk=s.office_id),
        url=s.get_absolute_url(),
    )
    return a


def receipt_moved(deadline: Deadline) -> None:
    """The calendar moved an assignment's receipt deadline: its 签收或退回截止 follows."""
    Assignment.objects.filter(pk=deadline.object_id).update(
        respond_by=deadline.due_at, respond_by_provisional=deadline.provisional
    )


def orders_recompute(actor: Any, years: list[int]) -> int:
    """Supervision orders whose report date was counted provisionally: recounted on the
    completed calendar (never before the end of today), each move audited and told to the
    unit (`deadlines.services.on_year_completed`). Returns how many moved."""
    rule = Rule.working_days(settings.SUGGESTION_SUPERVISION_WORKING_DAYS)
    end_of_today = deadline_rules.at_local(timezone.localdate(), deadline_rules.END_OF_DAY)
    moved = 0
    orders = (
        SupervisionOrder.objects.select_for_update()
        .filter(due_provisional=True, state=SupervisionState.ISSUED)
        .select_related("suggestion")
        .order_by("pk")
    )
    for order in orders:
        before = {"order": order.pk, "due_at": order.due_at}
        due = max(deadline_rules.due_at(rule, order.issued_at), min(order.due_at, end_of_today))
        order.due_provisional = deadline_rules.provisional(rule, order.issued_at, due)
        changed = due != order.due_at
        order.due_at = due
        order.version += 1
        order.save(update_fields=["due_at", "due_provisional", "version"])
        if not changed:
            continue
        moved += 1
        s = order.suggestion
        audit.record(
            action="suggestions.supervision.recalculated",
            actor=actor,
            target=s,
            organisation_id=order.issued_by_org_id,
            before=before,
            after={"order": order.pk, "due_at": due, "years": years},
        )
        outbox.enqueue(
            kind="suggestions.supervision.recalculated",
            recipients=users_holding([order.to_unit_id]),
            title=_("督办报告截止时间已按节假日安排重新计算：代表建议 %(t)s") % {"t": _title(s)},
            body=_("新的报告截止时间：%(due)s。") % {"due": _day(due)},
            url=s.get_absolute_url(),
            dedupe=f"suggestion:{s.pk}:order:{order.pk}:recalculated:{order.version}",
        )
    return moved


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


def batch_confirm(*, actor: Any, batch_id: int, version: int) -> AssignmentBatch:
    """The other side confirms (会签): every suggestion of the batch is assigned. Each unit gets
    its assignment with a receipt deadline (N working days to receive or send back); each
    suggestion gets its reply deadline (N months, on the lead unit). A suggestion changed
    since the batch was prepared refuses the whole batch (nothing is assigned)."""
    who = access.require(actor, "suggestions.batch.confirm", _batch_for_rule(batch_id))
    confirming = assigning_org_ids(who)
    with transaction.atomic():
        batch = _lock_batch(batch_id, version)
        side = (
            gov_office_org_ids(who)
            if batch.proposed_org.kind in CONGRESS_SIDE
            else congress_org_ids(who)
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
                    who,
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
            _meet(who, s, DEADLINE_ASSIGN)
            reply = _open(
                who,
                s,
                kind=DEADLINE_REPLY,
                title=(_("答复代表建议 %(t)s") % {"t": _title(s)})[:200],
                rule=Rule.months(settings.SUGGESTION_REPLY_MONTHS),
                start=now,
                responsible_org=units[item["lead"]],
                assigner_org=Organisation.objects.get(pk=s.office_id),
                escalate_to=oversight,
            )
            s.status = target
            s.assigned_at = now
            s.lead_unit_id = item["lead"]
            s.reply_due_at = reply.due_at
            s.received_at = None
            s.contact_due_at = None
            _save(
                s,
                "status",
                "assigned_at",
                "lead_unit",
                "reply_due_at",
                "received_at",
                "contact_due_at",
            )
            for f in following:
                _meet(who, f, DEADLINE_ASSIGN)
            merging.follow(
                who,
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
            audit.record(
                action="suggestions.suggestion.assigned",
                actor=who,
                target=s,
                organisation_id=org_id,
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
        batch.confirmed_by = who.user
        batch.confirmed_at = now
        batch.version += 1
        batch.save(
            update_fields=[
                "state",
                "confirmed_org",
                "confirmed_by",
                "confirmed_at",
                "version",
                "updated_at",
            ]
        )
        audit.record(
            action="suggestions.batch.issued",
            actor=who,
            target=batch,
            organisation_id=org_id,
            before={"state": BatchState.PROPOSED},
            after={"state": batch.state, "suggestions": ids},
        )
    return batch


def batch_return(*, actor: Any, batch_id: int, version: int, reason: str) -> AssignmentBatch:
    """The other side does not confirm: the batch goes back with a reason; its suggestions
    may be prepared again."""
    who = access.require(actor, "suggestions.batch.confirm", _batch_for_rule(batch_id))
    reason = _text(reason, "reason", _("退回理由"), limit=MAX_NOTE)
    with transaction.atomic():
        batch = _lock_batch(batch_id, version)
        batch.state = BatchState.RETURNED
        batch.return_reason = reason
        batch.version += 1
        batch.save(update_fields=["state", "return_reason", "version", "updated_at"])
        audit.record(
            action="suggestions.batch.returned",
            actor=who,
            target=batch,
            organisation_id=batch.proposed_org_id,
            before={"state": BatchState.PROPOSED},
            after={"state": batch.state, "reason_sm3": _digest(reason)},
        )
        outbox.enqueue(
            kind="suggestions.batch.returned",
            recipients=[batch.proposed_by],
            title=_("联合交办批次 %(n)s 未会签，已退回") % {"n": batch.pk},
            body=reason,
            url=batch.get_absolute_url(),
            dedupe=f"suggestion-batch:{batch.pk}:returned",
        )
    return batch


# --- Receipt or send-back (签收 / 退回) --------------------------------------------------------


def _assignment(assignment_id: int) -> Assignment:
    a = Assignment.objects.filter(pk=assignment_id).first()
    if a is None:
        raise ValidationFailed(_("交办记录不存在。"))
    return a


def _lock_assignment(assignment_id: int, version: int) -> Assignment:
    a = Assignment.objects.select_for_update().get(pk=assignment_id)
    if a.version != version:
        raise ConcurrentEdit(_("该交办已被他人签收或退回，您的操作未执行。请刷新页面后再操作。"))
    if a.status != AssignmentStatus.ASSIGNED:
        raise TransitionNotAllowed(
            _("该交办当前为“%(state)s”，不能再签收或退回。") % {"state": a.get_status_display()}
        )
    return a


def assignment_receive(*, actor: Any, assignment_id: int, version: int) -> Assignment:
    """The unit receives (签收). For the lead unit, the suggestion is now being handled and the
    contact clock starts: the deputy is to be contacted within SUGGESTION_CONTACT_HOURS hours,
    reminded before and escalated after to the supervision office and the stationed group."""
    who = access.require(actor, "suggestions.assignment.respond", _assignment(assignment_id))
    with transaction.atomic():
        s = _lock(_assignment(assignment_id).suggestion_id)
        a = _lock_assignment(assignment_id, version)
        before = _snapshot(s)
        now = timezone.now()
        if a.role == AssignmentRole.LEAD:
            target = _step(s, Step.RECEIVE)
        a.status = AssignmentStatus.RECEIVED
        a.received_at = now
        a.received_by = who.user
        a.version += 1
        a.save(update_fields=["status", "received_at", "received_by", "version", "updated_at"])
        _meet(who, a, DEADLINE_RECEIPT)
        if a.role == AssignmentRole.LEAD:
            contact = _open(
                who,
                s,
                kind=DEADLINE_CONTACT,
                title=(_("联系领衔代表 %(t)s") % {"t": _title(s)})[:200],
                rule=Rule.hours(settings.SUGGESTION_CONTACT_HOURS),
                start=now,
                responsible_org=Organisation.objects.get(pk=a.unit_id),
                assigner_org=Organisation.objects.get(pk=s.office_id),
                escalate_to=_oversight_orgs(),
            )
            following = merging.followers(s, states=(before["status"],), reply_round=0)
            s.status = target
            s.received_at = now
            s.contact_due_at = contact.due_at
            _save(s, "status", "received_at", "contact_due_at")
            merging.follow(
                who, s, following, ["status", "received_at", "contact_due_at"], "received"
            )
        audit.record(
            action="suggestions.assignment.received",
            actor=who,
            target=s,
            organisation_id=a.unit_id,
            before=before,
            after={
                **_snapshot(s),
                "assignment": a.pk,
                "unit": a.unit_id,
                "role": a.role,
                "contact_due_at": s.contact_due_at if a.role == AssignmentRole.LEAD else None,
            },
        )
    return a


def assignment_send_back(
    *, actor: Any, assignment_id: int, version: int, reason: str
) -> Assignment:
    """The unit sends the assignment back (退回) with a reason, within the receipt window.
    When the lead unit sends it back, the whole suggestion returns to the office for
    re-assignment (co-units' assignments end too, and the reply clock stops). When a co-unit
    sends it back, the lead unit keeps handling and congress staff replace or drop that
    co-unit (`co_unit_replace`)."""
    who = access.require(actor, "suggestions.assignment.respond", _assignment(assignment_id))
    reason = _text(reason, "reason", _("退回理由"), limit=MAX_NOTE)
    with transaction.atomic():
        s = _lock(_assignment(assignment_id).suggestion_id)
        a = _lock_assignment(assignment_id, version)
        now = timezone.now()
        if now > a.respond_by:
            raise RuleViolation(
                _(
                    "已超过退回期限（交办后 %(n)d 个工作日内），不能再退回。"
                    "请签收后办理，或与人大代表工委沟通。"
                )
                % {"n": settings.SUGGESTION_RECEIPT_WORKING_DAYS}
            )
        before = _snapshot(s)
        if a.role == AssignmentRole.LEAD:
            target = _step(s, Step.SEND_BACK)
        a.status = AssignmentStatus.SENT_BACK
        a.sent_back_at = now
        a.sent_back_by = who.user
        a.sent_back_reason = reason
        a.version += 1
        a.save(
            update_fields=[
                "status",
                "sent_back_at",
                "sent_back_by",
                "sent_back_reason",
                "version",
                "updated_at",
            ]
        )
        _cancel(who, a, DEADLINE_RECEIPT, _("承办单位退回"))
        ended: list[int] = []
        if a.role == AssignmentRole.LEAD:
            others = list(
                Assignment.objects.select_for_update()
                .filter(suggestion=s, status__in=ACTIVE_ASSIGNMENT)
                .exclude(pk=a.pk)
            )
            for other in others:
                _cancel(who, other, DEADLINE_RECEIPT, _("主办单位退回，重新交办"))
                other.status = AssignmentStatus.ENDED
                other.ended_at = now
                other.version += 1
                other.save(update_fields=["status", "ended_at", "version", "updated_at"])
                ended.append(other.pk)
            _cancel(who, s, DEADLINE_REPLY, _("主办单位退回，重新交办"))
            following = merging.followers(s, states=(before["status"],), reply_round=0)
            s.status = target
            s.lead_unit = None
            s.reply_due_at = None
            _save(s, "status", "lead_unit", "reply_due_at")
            merging.follow(who, s, following, ["status", "lead_unit", "reply_due_at"], "sent_back")
        audit.record(
            action="suggestions.assignment.sent_back",
            actor=who,
            target=s,
            organisation_id=a.unit_id,
            before=before,
            after={
                **_snapshot(s),
                "assignment": a.pk,
                "unit": a.unit_id,
                "role": a.role,
                "reason_sm3": _digest(reason),
                "ended_assignments": ended,
            },
        )
        _notify(
            s,
            kind="suggestions.assignment.sent_back",
            recipients=[*_office_users(s), *_gov_office_users()],
            title=_("%(unit)s退回了代表建议 %(t)s（%(role)s），请重新交办")
            % {"unit": a.unit.name, "t": _title(s), "role": a.get_role_display()},
            body=reason,
            occurrence=f"sent_back:{a.pk}",
        )
    return a


# --- Replacing a co-unit that sent its assignment back (会办单位退回后的调整) ------------------


def _active_co_units(s: Suggestion) -> list[int]:
    return list(
        Assignment.objects.filter(
            suggestion=s, role=AssignmentRole.CO, status__in=ACTIVE_ASSIGNMENT
        )
        .order_by("id")
        .values_list("unit_id", flat=True)
    )


def co_unit_replace(
    *,
    actor: Any,
    suggestion_id: int,
    assignment_id: int,
    unit_id: int | None,
    version: int,
) -> Assignment:
    """The congress office settles a co-unit's send-back (会办单位退回) while the lead unit keeps
    handling: another unit takes the co-unit's place (`unit_id`), or none does (`unit_id`
    None: dropped). A lead unit's send-back returns the whole suggestion for a new joint
    assignment instead (`batch_propose` → `batch_confirm`).

    The new co-unit's assignment is made as the joint assignment makes each (`_assign_unit`):
    same batch as the assignment it replaces, N working days to receive or send back, its
    receipt deadline; the unit is told. The lead unit and the government supervision office
    are told of the change.

    Who: congress staff — the congress side of the joint assignment (the desks who confirm a
    batch the supervision office prepared). The government supervision office's confirmation
    is not asked for: the joint assignment it confirmed (the lead unit, the reply clock) is
    unchanged, a co-unit only contributes its opinion to the lead unit's reply, and a second
    confirmation would hold up that opinion while the lead unit's reply clock runs. The
    office is told, and can still supervise or take it up with the congress office.

    `version` is the sent-back assignment's (as the page showed it). Refusals: AccessDenied
    (not congress staff), ConcurrentEdit (stale version), TransitionNotAllowed (not a
    co-unit's send-back, already settled, or the suggestion is not being handled),
    ValidationFailed (no such or an inactive unit, a supervising body) and RuleViolation (the
    unit is already on the suggestion, or is the one that sent it back).

    Returns the sent-back assignment, settled (`replacement` is the new assignment or None).
    One audit event on the suggestion: `suggestions.co_unit.replaced` or `.dropped`."""
    who = access.require(actor, "suggestions.assignment.replace", _assignment(assignment_id))
    if _assignment(assignment_id).suggestion_id != suggestion_id:
        raise ValidationFailed(_("交办记录不存在。"))
    unit = None if unit_id is None else _handling_unit(unit_id, "unit")
    with transaction.atomic():
        s = _lock(suggestion_id)
        a = Assignment.objects.select_for_update().select_related("unit").get(pk=assignment_id)
        if a.version != version:
            raise ConcurrentEdit(_("该交办已被他人处理，您的操作未执行。请刷新页面后再操作。"))
        if a.role != AssignmentRole.CO:
            raise TransitionNotAllowed(_("主办单位退回的建议须重新联合交办，不能只更换单位。"))
        if a.status != AssignmentStatus.SENT_BACK:
            raise TransitionNotAllowed(
                _("会办单位“%(name)s”未退回交办（当前为“%(state)s”），无需更换。")
                % {"name": a.unit.name, "state": a.get_status_display()}
            )
        if a.settled_at is not None:
            raise TransitionNotAllowed(
                _("会办单位“%(name)s”的退回已处理（已更换或不再指定会办单位）。")
                % {"name": a.unit.name}
            )
        if s.status not in CO_REPLACE_STATES:
            raise TransitionNotAllowed(
                _("该建议当前为“%(state)s”，不能更换会办单位。") % {"state": s.get_status_display()}
            )
        before = _active_co_units(s)
        now = timezone.now()
        new = None
        if unit is not None:
            if unit.pk == a.unit_id:
                raise RuleViolation(
                    _(
                        "“%(name)s”已退回该建议，请选择其他单位；"
                        "如认为退回理由不成立，请先与该单位沟通。"
                    )
                    % {"name": unit.name}
                )
            on = (
                Assignment.objects.filter(suggestion=s, unit=unit, status__in=ACTIVE_ASSIGNMENT)
                .order_by("id")
                .first()
            )
            if on is not None:
                raise RuleViolation(
                    _("“%(name)s”已是该建议的%(role)s单位，请选择其他单位。")
                    % {"name": unit.name, "role": on.get_role_display()}
                )
            new = _assign_unit(
                who,
                s,
                unit=unit,
                role=AssignmentRole.CO,
                batch_id=a.batch_id,
                now=now,
                respond_by=_respond_by(now),
            )
        a.settled_at = now
        a.replacement = new
        a.version += 1
        a.save(update_fields=["settled_at", "replacement", "version", "updated_at"])
        mine = congress_org_ids(who)
        audit.record(
            action="suggestions.co_unit.replaced" if new else "suggestions.co_unit.dropped",
            actor=who,
            target=s,
            organisation_id=s.office_id if s.office_id in mine else min(mine),
            before={"co_units": before},
            after={
                "co_units": _active_co_units(s),
                "sent_back_assignment": a.pk,
                "sent_back_unit": a.unit_id,
                "unit": unit.pk if unit else None,
                "assignment": new.pk if new else None,
                "respond_by": new.respond_by if new else None,
            },
        )
        if new is not None:
            _tell_assigned_unit(s, new)
            title = _("代表建议 %(t)s 的会办单位%(old)s已退回，改由%(new)s会办") % {
                "t": _title(s),
                "old": a.unit.name,
                "new": unit.name,
            }
        else:
            title = _("代表建议 %(t)s 的会办单位%(old)s已退回，不再另行指定会办单位") % {
                "t": _title(s),
                "old": a.unit.name,
            }
        _notify(
            s,
            kind="suggestions.co_unit.replaced" if new else "suggestions.co_unit.dropped",
            recipients=[*users_holding([s.lead_unit_id]), *_gov_office_users()],
            title=title,
            occurrence=f"co_unit_settled:{a.pk}",
        )
    return a


# --- Contact with the deputy -----------------------------------------------------------------


def _lead_assignment(s: Suggestion) -> Assignment | None:
    """The received lead assignment (a merged suggestion's is its primary's)."""
    return (
        Assignment.objects.filter(
            suggestion_id=s.merged_into_id or s.pk,
            role=AssignmentRole.LEAD,
            status=AssignmentStatus.RECEIVED,
        )
        .order_by("-id")
        .first()
    )


def contact_record(
    *,
    actor: Any,
    suggestion_id: int,
    method: str,
    contacted_at: datetime,
    agreed: str,
    deputy_id: int | None = None,
) -> Contact:
    """The lead unit records a contact with the deputy: how, when, what was agreed. The first
    one stops the contact clock (met within SUGGESTION_CONTACT_HOURS hours, or missed)."""
    who = access.require(actor, "suggestions.suggestion.handle", _get(suggestion_id))
    if method not in ContactMethod.values:
        raise _fail(_("请选择联系方式。"), "method")
    agreed = _text(agreed, "agreed", _("沟通情况和办理意见"), limit=MAX_NOTE)
    if not isinstance(contacted_at, datetime):
        raise _fail(_("请填写联系时间。"), "contacted_at")
    with transaction.atomic():
        s = _lock(suggestion_id)
        _require_state(s, Step.CONTACT)
        lead = _lead_assignment(s)
        if lead is None:
            raise TransitionNotAllowed(_("主办单位签收后才能登记联系代表情况。"))
        now = timezone.now()
        if contacted_at > now:
            raise _fail(_("联系时间不能晚于现在。"), "contacted_at")
        if lead.received_at and contacted_at < lead.received_at - CLOCK_SKEW:
            raise _fail(_("联系时间不能早于签收时间。"), "contacted_at")
        allowed = {s.lead_deputy_id, *s.cosigners.values_list("person_id", flat=True)}
        deputy = deputy_id or s.lead_deputy_id
        if int(deputy) not in allowed:
            raise _fail(_("请选择本建议的领衔代表或附议代表。"), "deputy")
        contact = Contact.objects.create(
            suggestion=s,
            assignment=lead,
            method=method,
            contacted_at=contacted_at,
            deputy_id=deputy,
            agreed=agreed,
            recorded_by=who.user,
            recorded_at=now,
        )
        first = s.first_contact_at is None
        met = None
        if first:
            met = _meet(who, s, DEADLINE_CONTACT)
            s.first_contact_at = contacted_at
            _save(s, "first_contact_at")
        audit.record(
            action="suggestions.contact.recorded",
            actor=who,
            target=s,
            organisation_id=lead.unit_id,
            after={
                "contact": contact.pk,
                "method": method,
                "contacted_at": contacted_at,
                "deputy": deputy,
                "first": first,
                "within_limit": (
                    bool(s.contact_due_at and contacted_at <= s.contact_due_at) if first else None
                ),
                "deadline": met.state if met is not None else None,
                "agreed_sm3": _digest(agreed),
            },
        )
    return contact


# --- Co-units' opinions and the reply ---------------------------------------------------------


def opinion_give(*, actor: Any, suggestion_id: int, text: str) -> CoUnitOpinion:
    """A co-unit sends its opinion to the lead unit (once per round), before the reply."""
    who = access.require(actor, "suggestions.suggestion.co_handle", _get(suggestion_id))
    text = _text(text, "text", _("会办意见"))
    with transaction.atomic():
        s = _lock(suggestion_id)
        if s.status not in (S.ASSIGNED, S.HANDLING, S.REOPENED):
            raise TransitionNotAllowed(
                _("该建议当前为“%(state)s”，不能提交会办意见。") % {"state": s.get_status_display()}
            )
        merging.require_not_follower(s, _("提交会办意见"))
        mine = access.as_actor(who).office_org_ids()
        a = (
            Assignment.objects.filter(
                suggestion=s, role=AssignmentRole.CO, unit_id__in=mine, status__in=ACTIVE_ASSIGNMENT
            )
            .order_by("id")
            .first()
        )
        if a is None:
            raise AccessDenied(_("您没有权限执行此操作或查看此记录。"))
        if a.status != AssignmentStatus.RECEIVED:
            raise TransitionNotAllowed(_("请先签收该会办交办，再提交会办意见。"))
        round_ = s.reply_round + 1
        try:
            with transaction.atomic():
                opinion = CoUnitOpinion.objects.create(
                    suggestion=s,
                    assignment=a,
                    round=round_,
                    text=text,
                    submitted_by=who.user,
                    submitted_at=timezone.now(),
                )
        except IntegrityError:
            raise RuleViolation(_("本单位本轮的会办意见已提交。")) from None
        audit.record(
            action="suggestions.opinion.given",
            actor=who,
            target=s,
            organisation_id=a.unit_id,
            after={
                "opinion": opinion.pk,
                "unit": a.unit_id,
                "round": round_,
                "text_sm3": _digest(text),
            },
        )
        if s.lead_unit_id:
            _notify(
                s,
                kind="suggestions.opinion.given",
                recipients=users_holding([s.lead_unit_id]),
                title=_("%(unit)s提交了代表建议 %(t)s 的会办意见")
                % {"unit": a.unit.name, "t": _title(s)},
                occurrence=f"opinion:{opinion.pk}",
            )
    return opinion


def missing_opinions(s: Suggestion) -> list[Assignment]:
    """Co-units whose opinion for the coming round the lead unit still waits for."""
    round_ = s.reply_round + 1
    given = set(
        CoUnitOpinion.objects.filter(suggestion=s, round=round_).values_list(
            "assignment_id", flat=True
        )
    )
    return [
        a
        for a in Assignment.objects.filter(
            suggestion=s, role=AssignmentRole.CO, status__in=ACTIVE_ASSIGNMENT
        )
        .select_related("unit")
        .order_by("id")
        if a.pk not in given
    ]


def reply_send(
    *,
    actor: Any,
    suggestion_id: int,
    version: int,
    category: str,
    signer: str,
    text: str,
    public_text: str = "",
    face_to_face: bool = False,
    files: Sequence[Any] = (),
) -> Reply:
    """The lead unit replies (答复函): category A/B/C, the signing head, the text, attachments.
    The deputy must have been contacted and every co-unit's opinion received first. The reply
    (or re-reply) clock stops; the lead deputy and each co-signer get the reply, and the verdict
    clock starts (SUGGESTION_VERDICT_WORKING_DAYS working days for the 征询意见表). Suggestions
    merged into this one (并案) that stand where it stands get the reply as their own, with the
    same attachments (`merging.reply_followers`)."""
    who = access.require(actor, "suggestions.suggestion.handle", _get(suggestion_id))
    errors: dict[str, list[str]] = {}
    if category not in ReplyCategory.values:
        errors["category"] = [_("请选择答复类别（A、B 或 C）。")]
    for field, label, value, required, limit in (
        ("signer", _("签发人"), signer, True, 60),
        ("text", _("答复内容"), text, True, MAX_TEXT),
        ("public_text", _("公开文本"), public_text, False, MAX_TEXT),
    ):
        try:
            _text(value, field, label, required=required, limit=limit)
        except ValidationFailed as exc:
            errors.update(exc.field_errors)
    if errors:
        raise ValidationFailed(_("答复未发出，请按提示更正。"), field_errors=errors)
    stored: list[Any] = []
    try:
        with transaction.atomic():
            s = _lock(suggestion_id, version)
            target = _step(s, Step.REPLY)
            merging.require_not_follower(s, _("答复"))
            if s.first_contact_at is None:
                raise RuleViolation(_("请先登记与代表的联系情况，再答复。"))
            following = merging.followers(s, states=(s.status,), reply_round=s.reply_round)
            merging.check_followers_contacted(following)
            waiting = missing_opinions(s)
            if waiting:
                raise RuleViolation(
                    _("还未收到会办单位的意见：%(units)s。会办意见送达后才能答复。")
                    % {"units": "、".join(a.unit.name for a in waiting)}
                )
            before = _snapshot(s)
            round_ = s.reply_round + 1
            now = timezone.now()
            kind = DEADLINE_REPLY if round_ == 1 else DEADLINE_REREPLY
            met = _meet(who, s, kind)
            on_time = met is None or met.state == DeadlineState.MET
            reply = Reply.objects.create(
                suggestion=s,
                round=round_,
                unit_id=s.lead_unit_id,
                category=category,
                signer=signer.strip(),
                text=text.strip(),
                public_text=public_text.strip(),
                face_to_face=face_to_face,
                sent_at=now,
                sent_by=who.user,
                on_time=on_time,
            )
            _store_files(who, reply, files, stored)
            s.status = target
            s.replied_at = now
            s.reply_round = round_
            s.reply_category = category
            _save(s, "status", "replied_at", "reply_round", "reply_category")
            audit.record(
                action="suggestions.reply.sent",
                actor=who,
                target=s,
                organisation_id=s.lead_unit_id,
                before=before,
                after={
                    **_snapshot(s),
                    "reply": reply.pk,
                    "category": category,
                    "on_time": on_time,
                    "face_to_face": face_to_face,
                    "text_sm3": _digest(reply.text),
                    "attachments": [a.pk for a in stored],
                    "followers": [f.pk for f in following],
                },
            )
            _open_verdict_deadline(who, s, now)
            merging.reply_followers(who, s, reply, following, list(stored), stored)
            _notify(
                s,
                kind="suggestions.reply.sent",
                recipients=[*_deputies(s), *_office_users(s)],
                title=_("代表建议 %(t)s 已答复（%(cat)s），请查看并评价")
                % {"t": _title(s), "cat": reply.get_category_display()},
                occurrence=f"reply:{round_}",
            )
    except BaseException:
        _discard_files(stored)
        raise
    return reply


def _open_verdict_deadline(who: Any, s: Suggestion, start: datetime) -> Deadline:
    """The deputy returns the 征询意见表 (the verdict) within SUGGESTION_VERDICT_WORKING_DAYS
    working days of receiving the reply. The lead deputy's account is the responsible person,
    reminded before the end (without an account, the office's desk staff are); when it ends the
    congress office is told to follow up and record the paper form (`verdict_messages`) — no
    supervision order, and nothing is deemed satisfied: the suggestion stays answered without
    a verdict."""
    office = Organisation.objects.get(pk=s.office_id)
    deputy_user = next(iter(_lead_deputy_users(s)), None)
    return _open(
        who,
        s,
        kind=DEADLINE_VERDICT,
        title=(_("评价代表建议 %(t)s 的答复（反馈征询意见表）") % {"t": _title(s)})[:200],
        rule=Rule.working_days(settings.SUGGESTION_VERDICT_WORKING_DAYS),
        start=start,
        # A deadline names the organisation that answers for it: the congress office, which
        # follows up a missing 征询意见表 and records the deputy's paper form. It also assigns it
        # (the escalation at the end reaches its desk staff; nobody else is escalated to).
        responsible_org=office,
        responsible_user=deputy_user,
        assigner_org=office,
    )


def verdict_messages(deadline: Deadline, point: dict[str, Any], now: datetime) -> tuple[str, str]:
    """The sweep's words for the verdict deadline (`sweep.word_messages`): before the end, a
    reminder to the lead deputy (or, without an account, to the office's desk staff); at the
    end, the congress office is asked to follow up. Never what was rated (nothing is yet)."""
    from wulian.core.deadlines.sweep import remaining_text

    due = _day(deadline.due_at)
    if point["kind"] == "escalation":
        return (
            _("代表未按期反馈征询意见表：%(title)s") % {"title": deadline.title},
            _(
                "领衔代表未在收到答复后 %(n)d 个工作日内（%(due)s 前）反馈对答复的评价。"
                "请与代表联系跟进；收到代表填写的纸质征询意见表后，请在建议页面代为登记评价。"
            )
            % {"n": deadline.rule_amount, "due": due},
        )
    left = remaining_text((deadline.due_at - now).total_seconds())
    if deadline.responsible_user_id is not None:
        return (
            _("请评价建议的答复：%(title)s") % {"title": deadline.title},
            _("请在 %(due)s 前对答复的办理态度和办理结果作出评价（征询意见表），还剩 %(left)s。")
            % {"due": due, "left": left},
        )
    return (
        _("代表评价待反馈：%(title)s") % {"title": deadline.title},
        _(
            "领衔代表没有平台账号。征询意见表应于 %(due)s 前反馈，还剩 %(left)s；"
            "请联系代表，收到纸质征询意见表后在建议页面代为登记评价。"
        )
        % {"due": due, "left": left},
    )


# --- Extension of the reply and re-reply deadlines ---------------------------------------------


def _reply_deadline(s: Suggestion) -> Deadline:
    """The clock the lead unit asks more time on: the reply's, or a reopened suggestion's
    re-reply's."""
    if s.status == S.REOPENED:
        deadline = _live_deadline(s, DEADLINE_REREPLY)
        if deadline is None:
            raise TransitionNotAllowed(_("该建议没有正在计时的重新办理答复期限，无需延期。"))
        return deadline
    deadline = _live_deadline(s, DEADLINE_REPLY)
    if deadline is None:
        raise TransitionNotAllowed(_("该建议没有正在计时的答复期限，无需延期。"))
    return deadline


def _latest_due(s: Suggestion, deadline: Deadline) -> datetime:
    """The cap of an extension: SUGGESTION_REPLY_MAX_MONTHS months after assignment for the
    reply; SUGGESTION_REREPLY_MAX_MONTHS months after the reopening (the verdict, where the
    re-reply deadline starts) for the re-reply."""
    if deadline.kind == DEADLINE_REREPLY:
        return deadline_rules.due_at(
            Rule.months(settings.SUGGESTION_REREPLY_MAX_MONTHS), deadline.start
        )
    assert s.assigned_at is not None
    return deadline_rules.due_at(Rule.months(settings.SUGGESTION_REPLY_MAX_MONTHS), s.assigned_at)


def _day(at: datetime) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d}"


def _rereply_following(
    s: Suggestion, new_due_at: datetime, *, deciding: bool
) -> list[tuple[Suggestion, Deadline]]:
    """并案: the merged suggestions reopened in the same round as their primary (its re-reply
    answers them too) whose own re-reply deadline ends before the new date, with that deadline:
    they follow an approved extension of the primary's re-reply. Locked. Refused, saying which
    one, when the date is past that suggestion's own cap or a request of its own waits."""
    rows = []
    for f in merging.followers(s, states=(S.REOPENED,), reply_round=s.reply_round):
        deadline = _live_deadline(f, DEADLINE_REREPLY)
        if deadline is None or deadline.due_at >= new_due_at:
            continue
        latest = _latest_due(f, deadline)
        if new_due_at > latest:
            message = _(
                "并案建议%(n)s也由本建议的重新答复答复，它的重新办理答复期限最长至 %(d)s"
                "（重新办理后 %(m)d 个月）。%(fix)s"
            ) % {
                "n": f.number_label,
                "d": _day(latest),
                "m": settings.SUGGESTION_REREPLY_MAX_MONTHS,
                "fix": _("请退回该申请，由承办单位按该日期重新申请。")
                if deciding
                else _("请选择不晚于该日的日期。"),
            }
            raise RuleViolation(message) if deciding else _fail(message, "new_due")
        if deadline.extensions.filter(decision=Decision.PENDING).exists():
            raise RuleViolation(
                _("并案建议%(n)s有一份待审批的延期申请，请先在该建议的页面上审批。")
                % {"n": f.number_label}
            )
        rows.append((f, deadline))
    return rows


def reply_extension_request(
    *, actor: Any, suggestion_id: int, new_due: date, reason: str
) -> ExtensionRequest:
    """The lead unit asks for more time: for the reply, at most SUGGESTION_REPLY_MAX_MONTHS
    months after assignment in all; for a reopened suggestion's re-reply, at most
    SUGGESTION_REREPLY_MAX_MONTHS months after the reopening. The reason is what the deputy is
    told if the office approves."""
    s = _get(suggestion_id)
    who = access.require(actor, "suggestions.suggestion.handle", s)
    if s.status not in (S.HANDLING, S.ASSIGNED, S.REOPENED):
        raise TransitionNotAllowed(
            _("该建议当前为“%(state)s”，不能申请延期答复。") % {"state": s.get_status_display()}
        )
    merging.require_not_follower(s, _("申请延期答复"))
    if not isinstance(new_due, date):
        raise _fail(_("请填写申请延至的日期。"), "new_due")
    with transaction.atomic():
        s = _lock(suggestion_id)
        if s.status not in (S.HANDLING, S.ASSIGNED, S.REOPENED):
            raise _stale()
        deadline = _reply_deadline(s)
        latest = _latest_due(s, deadline)
        new_due_at = deadline_rules.at_local(new_due, deadline_rules.END_OF_DAY)
        if new_due_at > latest:
            if deadline.kind == DEADLINE_REREPLY:
                message = _(
                    "重新办理的答复期限最长为重新办理后 %(n)d 个月（%(d)s），不能延至更晚。"
                    "请选择不晚于该日的日期。"
                ) % {"n": settings.SUGGESTION_REREPLY_MAX_MONTHS, "d": _day(latest)}
            else:
                message = _("答复期限最长为交办后 %(n)d 个月（%(d)s），不能延至更晚。") % {
                    "n": settings.SUGGESTION_REPLY_MAX_MONTHS,
                    "d": _day(latest),
                }
            raise _fail(message, "new_due")
        if deadline.kind == DEADLINE_REREPLY:
            _rereply_following(s, new_due_at, deciding=False)
        return deadline_services.extension_request(
            actor=who, deadline_id=deadline.pk, new_due=new_due, reason=reason, owner=True
        )


def reply_extension_decide(
    *, actor: Any, extension_id: int, approve: bool, note: str = ""
) -> ExtensionRequest:
    """The congress office approves or refuses a request for more time to reply or re-reply.
    Approved: the new due date holds (within the cap), the lead deputy and co-signers are told
    why it takes longer (the unit's reason), and merged suggestions follow their primary — for
    the reply those that stand where it stands; for the re-reply those reopened in the same
    round, whose own re-reply deadlines move to the same date."""
    ext = ExtensionRequest.objects.select_related("deadline").filter(pk=extension_id).first()
    if ext is None or ext.deadline.kind not in REPLY_DEADLINES:
        raise ValidationFailed(_("延期申请不存在。"))
    kind = ext.deadline.kind
    s = _get(ext.deadline.object_id)
    who = access.require(actor, "suggestions.suggestion.manage", s)
    with transaction.atomic():
        s = _lock(s.pk)
        if not approve:
            return deadline_services.extension_refuse(
                actor=who, extension_id=extension_id, note=note, owner=True
            )
        latest = _latest_due(s, ext.deadline)
        if ext.new_due_at > latest:
            if kind == DEADLINE_REREPLY:
                raise RuleViolation(
                    _(
                        "申请的日期超过重新办理后 %(n)d 个月的最长答复期限（%(d)s），不能同意。"
                        "请退回该申请，由承办单位重新申请。"
                    )
                    % {"n": settings.SUGGESTION_REREPLY_MAX_MONTHS, "d": _day(latest)}
                )
            raise RuleViolation(
                _("申请的日期超过交办后 %(n)d 个月的最长答复期限，不能同意。")
                % {"n": settings.SUGGESTION_REPLY_MAX_MONTHS}
            )
        if kind == DEADLINE_REREPLY:
            rereply = _rereply_following(s, ext.new_due_at, deciding=True)
            following = [f for f, _d in rereply]
        else:
            rereply = []
            following = merging.followers(s, states=(s.status,), reply_round=s.reply_round)
        ext = deadline_services.extension_approve(
            actor=who, extension_id=extension_id, note=note, owner=True
        )
        for _f, deadline in rereply:
            deadline_services.extension_grant(
                actor=who,
                deadline_id=deadline.pk,
                new_due=ext.new_due_at,
                reason=ext.reason,
                note=_("随主办建议%(n)s的延期一并延长") % {"n": s.number_label},
                owner=True,
            )
        s.reply_due_at = ext.new_due_at
        _save(s, "reply_due_at")
        merging.follow(who, s, following, ["reply_due_at"], "extended")
        for told in [s, *following]:
            title = (
                _("代表建议 %(t)s 重新办理的答复期限延至 %(d)s")
                if kind == DEADLINE_REREPLY
                else _("代表建议 %(t)s 的答复期限延至 %(d)s")
            )
            _notify(
                told,
                kind="suggestions.reply.extended",
                recipients=_deputies(told),
                title=title % {"t": _title(told), "d": _day(ext.new_due_at)},
                body=_("承办单位说明：%(r)s") % {"r": ext.reason},
                occurrence=f"extended:{ext.pk}",
            )
    return ext


# --- The deputy's verdict ----------------------------------------------------------------------


def overall_of(on_attitude: str, on_result: str) -> str:
    """The overall verdict: the worse of the two ratings."""
    return min(on_attitude, on_result, key=lambda v: SATISFACTION_RANK[v])


def verdict_give(
    *,
    actor: Any,
    suggestion_id: int,
    version: int,
    on_attitude: str,
    on_result: str,
    comment: str = "",
) -> Verdict:
    """The lead deputy rates the reply (or congress staff record the deputy's paper form).
    The verdict clock stops (met, or missed when late: the verdict still counts).
    满意 / 基本满意 close the suggestion. 不满意 after the first reply reopens it with a re-reply
    deadline (SUGGESTION_REREPLY_MONTHS); 不满意 after a re-reply closes it and escalates to
    joint supervision (a 不满意督办 order to the lead unit)."""
    who = access.require(actor, "suggestions.verdict.give", _get(suggestion_id))
    errors: dict[str, list[str]] = {}
    if on_attitude not in Satisfaction.values:
        errors["on_attitude"] = [_("请评价办理态度。")]
    if on_result not in Satisfaction.values:
        errors["on_result"] = [_("请评价办理结果。")]
    if errors:
        raise ValidationFailed(_("评价未提交，请按提示更正。"), field_errors=errors)
    comment = _text(comment, "comment", _("意见"), required=False, limit=MAX_NOTE)
    overall = overall_of(on_attitude, on_result)
    with transaction.atomic():
        s = _lock(suggestion_id, version)
        _step(s, Step.VERDICT)
        reply = Reply.objects.get(suggestion=s, round=s.reply_round)
        before = _snapshot(s)
        now = timezone.now()
        met = _meet(who, s, DEADLINE_VERDICT)
        verdict = Verdict.objects.create(
            suggestion=s,
            reply=reply,
            deputy_id=s.lead_deputy_id,
            on_attitude=on_attitude,
            on_result=on_result,
            overall=overall,
            comment=comment,
            given_at=now,
            recorded_by=who.user,
        )
        s.verdict = overall
        s.verdict_at = now
        fields = ["status", "verdict", "verdict_at"]
        if overall != Satisfaction.UNSATISFIED:
            s.status = S.CLOSED
            s.closed_at = now
            fields.append("closed_at")
        elif reply.round == 1:
            s.status = S.REOPENED
            lead_unit = Organisation.objects.get(pk=s.lead_unit_id)
            rereply = _open(
                who,
                s,
                kind=DEADLINE_REREPLY,
                title=(_("重新办理并答复代表建议 %(t)s") % {"t": _title(s)})[:200],
                rule=Rule.months(settings.SUGGESTION_REREPLY_MONTHS),
                start=now,
                responsible_org=lead_unit,
                assigner_org=Organisation.objects.get(pk=s.office_id),
                escalate_to=_oversight_orgs(),
            )
            s.reply_due_at = rereply.due_at
            fields.append("reply_due_at")
        else:
            s.status = S.CLOSED
            s.closed_at = now
            fields.append("closed_at")
        _save(s, *fields)
        audit.record(
            action="suggestions.verdict.given",
            actor=who,
            target=s,
            organisation_id=s.office_id,
            before=before,
            after={
                **_snapshot(s),
                "verdict": verdict.pk,
                "round": reply.round,
                "on_attitude": on_attitude,
                "on_result": on_result,
                "overall": overall,
                "on_behalf": who.person_id != s.lead_deputy_id,
                "verdict_deadline": met.state if met is not None else None,
                "comment_sm3": _digest(comment),
            },
        )
        if overall == Satisfaction.UNSATISFIED and reply.round == 1:
            _notify(
                s,
                kind="suggestions.suggestion.reopened",
                recipients=[*users_holding([s.lead_unit_id]), *_office_users(s)],
                title=_("代表建议 %(t)s 需重新办理，请在 %(n)d 个月内再次答复")
                % {"t": _title(s), "n": settings.SUGGESTION_REREPLY_MONTHS},
                occurrence="reopened",
            )
        elif overall == Satisfaction.UNSATISFIED:
            _issue_order(
                s,
                actor=who,
                kind=SupervisionKind.UNSATISFACTORY,
                issued_by_org_id=s.office_id,
                to_unit_id=s.lead_unit_id,
                requirements=_(
                    "代表对重新办理的答复仍不满意，转入联合督办。请说明办理情况和下一步措施。"
                ),
                automatic=True,
            )
    return verdict


# --- Supervision (联督) ---------------------------------------------------------------------


def _issue_order(
    s: Suggestion,
    *,
    actor: Any,
    kind: str,
    issued_by_org_id: int,
    to_unit_id: int,
    requirements: str,
    automatic: bool = False,
    due_on: date | None = None,
) -> SupervisionOrder | None:
    """Issue a supervision order inside the caller's transaction (no access check here). An
    automatic order that already exists live (same suggestion and kind) is not issued twice."""
    now = timezone.now()
    rule = Rule.working_days(settings.SUGGESTION_SUPERVISION_WORKING_DAYS)
    due = (
        deadline_rules.at_local(due_on, deadline_rules.END_OF_DAY)
        if due_on
        else deadline_rules.due_at(rule, now)
    )
    # An automatic order (a second 不满意, a missed deadline) is the platform's, not a person's.
    user = None if automatic else getattr(access.as_actor(actor), "user", None)
    try:
        with transaction.atomic():
            order = SupervisionOrder.objects.create(
                suggestion=s,
                kind=kind,
                issued_by_org_id=issued_by_org_id,
                issued_by=user if getattr(user, "is_authenticated", False) else None,
                issued_at=now,
                to_unit_id=to_unit_id,
                requirements=requirements,
                due_at=due,
                due_provisional=not due_on and deadline_rules.provisional(rule, now, due),
            )
    except IntegrityError:
        if automatic:
            return None
        raise RuleViolation(
            _("该建议已有一份进行中的同类督办（%(kind)s），请先结束它。")
            % {"kind": SupervisionKind(kind).label}
        ) from None
    audit.record(
        action="suggestions.supervision.issued",
        actor=actor,
        target=s,
        organisation_id=issued_by_org_id,
        after={
            "order": order.pk,
            "kind": kind,
            "to_unit": to_unit_id,
            "due_at": due,
            "automatic": automatic,
            "requirements_sm3": _digest(requirements),
        },
    )
    outbox.enqueue(
        kind="suggestions.supervision.issued",
        recipients=[
            *users_holding([to_unit_id]),
            *_office_users(s),
            *_gov_office_users(),
            *users_holding(
                Organisation.objects.filter(
                    kind=OrgKind.STATIONED_GROUP, is_active=True
                ).values_list("pk", flat=True),
                DESK_ROLES,
            ),
        ],
        title=_("%(kind)s：代表建议 %(t)s") % {"kind": order.get_kind_display(), "t": _title(s)},
        body=requirements,
        url=s.get_absolute_url(),
        dedupe=f"suggestion:{s.pk}:order:{order.pk}",
    )
    return order


def supervision_issue(
    *,
    actor: Any,
    suggestion_id: int,
    kind: str,
    requirements: str,
    issued_by_org_id: int | None = None,
    to_unit_id: int | None = None,
    due_on: date | None = None,
) -> SupervisionOrder:
    """Congress staff or the supervision office issue a supervision order (督办) to the lead
    unit (or a named unit) of an assigned suggestion: overdue, unsatisfactory, concentrated
    or key. The unit reports within SUGGESTION_SUPERVISION_WORKING_DAYS working days."""
    s = _get(suggestion_id)
    who = access.require(actor, "suggestions.suggestion.supervise", s)
    if kind not in SupervisionKind.values:
        raise _fail(_("请选择督办类型。"), "kind")
    requirements = _text(requirements, "requirements", _("督办要求"), limit=MAX_NOTE)
    mine = assigning_org_ids(who)
    org_id = issued_by_org_id or (min(mine) if len(mine) == 1 else None)
    if org_id is None or int(org_id) not in mine:
        raise _fail(_("请选择以哪个单位的名义督办。"), "issued_by_org")
    if due_on is not None and due_on <= timezone.localdate():
        raise _fail(_("报告截止日期须晚于今天。"), "due_on")
    with transaction.atomic():
        s = _lock(suggestion_id)
        if s.status in (S.SUBMITTED, S.NOT_ACCEPTED, S.WITHDRAWN, S.ACCEPTED):
            raise TransitionNotAllowed(
                _("该建议当前为“%(state)s”，尚未交办，不能督办。")
                % {"state": s.get_status_display()}
            )
        unit_id = to_unit_id or s.lead_unit_id
        if unit_id is None:
            raise _fail(_("请选择被督办单位。"), "to_unit")
        if not Assignment.objects.filter(suggestion=s, unit_id=unit_id).exists():
            raise _fail(_("被督办单位须为该建议的承办单位。"), "to_unit")
        order = _issue_order(
            s,
            actor=who,
            kind=kind,
            issued_by_org_id=int(org_id),
            to_unit_id=int(unit_id),
            requirements=requirements,
            due_on=due_on,
        )
        assert order is not None
    return order


def _lock_order(order_id: int, version: int) -> SupervisionOrder:
    order = SupervisionOrder.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        raise ValidationFailed(_("督办不存在。"))
    if order.version != version:
        raise ConcurrentEdit(_("该督办已被他人处理，您的操作未执行。请刷新页面后再操作。"))
    return order


def _order(order_id: int) -> SupervisionOrder:
    order = SupervisionOrder.objects.select_related("suggestion").filter(pk=order_id).first()
    if order is None:
        raise ValidationFailed(_("督办不存在。"))
    return order


def supervision_respond(
    *, actor: Any, order_id: int, version: int, response: str
) -> SupervisionOrder:
    """The supervised unit reports how it handled the matter."""
    who = access.require(actor, "suggestions.supervisionorder.respond", _order(order_id))
    response = _text(response, "response", _("办理情况报告"))
    with transaction.atomic():
        order = _lock_order(order_id, version)
        if order.state != SupervisionState.ISSUED:
            raise TransitionNotAllowed(
                _("该督办当前为“%(state)s”，不能再报告。") % {"state": order.get_state_display()}
            )
        order.state = SupervisionState.RESPONDED
        order.response = response
        order.responded_at = timezone.now()
        order.responded_by = who.user
        order.version += 1
        order.save(
            update_fields=[
                "state",
                "response",
                "responded_at",
                "responded_by",
                "version",
                "updated_at",
            ]
        )
        s = order.suggestion
        audit.record(
            action="suggestions.supervision.responded",
            actor=who,
            target=s,
            organisation_id=order.to_unit_id,
            before={"order": order.pk, "state": SupervisionState.ISSUED},
            after={
                "order": order.pk,
                "state": order.state,
                "on_time": order.responded_at <= order.due_at,
                "response_sm3": _digest(response),
            },
        )
        outbox.enqueue(
            kind="suggestions.supervision.responded",
            recipients=users_holding([order.issued_by_org_id], DESK_ROLES),
            title=_("督办事项已报告：代表建议 %(t)s") % {"t": _title(s)},
            url=s.get_absolute_url(),
            dedupe=f"suggestion:{s.pk}:order:{order.pk}:responded",
        )
    return order


def supervision_close(
    *, actor: Any, order_id: int, version: int, note: str = ""
) -> SupervisionOrder:
    """The issuing side ends a supervision order after the unit's report."""
    who = access.require(actor, "suggestions.supervisionorder.close", _order(order_id))
    note = _text(note, "note", _("说明"), required=False, limit=MAX_NOTE)
    with transaction.atomic():
        order = _lock_order(order_id, version)
        if order.state != SupervisionState.RESPONDED:
            raise TransitionNotAllowed(
                _("被督办单位报告办理情况后才能结束督办（当前为“%(state)s”）。")
                % {"state": order.get_state_display()}
            )
        order.state = SupervisionState.CLOSED
        order.closed_at = timezone.now()
        order.closed_by = who.user
        order.version += 1
        order.save(update_fields=["state", "closed_at", "closed_by", "version", "updated_at"])
        audit.record(
            action="suggestions.supervision.closed",
            actor=who,
            target=order.suggestion,
            organisation_id=order.issued_by_org_id,
            before={"order": order.pk, "state": SupervisionState.RESPONDED},
            after={"order": order.pk, "state": order.state, "note_sm3": _digest(note)},
        )
    return order


def supervision_escalate(*, actor: Any, order_id: int, version: int, note: str) -> SupervisionOrder:
    """Congress staff escalate a supervision order to the CDI (通报市纪委): the CDI's staff are
    told and may see the suggestion from now on. A possible violation by an official is then
    drafted as a clue (the clues app, with this suggestion as its source)."""
    who = access.require(actor, "suggestions.suggestion.escalate", _order(order_id).suggestion)
    note = _text(note, "note", _("通报说明"), limit=MAX_NOTE)
    with transaction.atomic():
        order = _lock_order(order_id, version)
        if order.escalated_to_cdi_at is not None:
            raise TransitionNotAllowed(_("该督办已通报市纪委。"))
        s = _lock(order.suggestion_id)
        now = timezone.now()
        order.escalated_to_cdi_at = now
        order.escalated_by = who.user
        order.escalation_note = note
        order.version += 1
        order.save(
            update_fields=[
                "escalated_to_cdi_at",
                "escalated_by",
                "escalation_note",
                "version",
                "updated_at",
            ]
        )
        first = s.escalated_to_cdi_at is None
        if first:
            s.escalated_to_cdi_at = now
            _save(s, "escalated_to_cdi_at")
        audit.record(
            action="suggestions.supervision.escalated",
            actor=who,
            target=s,
            organisation_id=s.office_id,
            after={"order": order.pk, "kind": order.kind, "note_sm3": _digest(note)},
        )
        cdi = Organisation.objects.filter(kind=OrgKind.CDI, is_active=True).values_list(
            "pk", flat=True
        )
        _notify(
            s,
            kind="suggestions.supervision.escalated",
            recipients=users_holding(list(cdi), DESK_ROLES),
            title=_("人大常委会通报代表建议办理中的突出问题：%(t)s") % {"t": _title(s)},
            body=note,
            occurrence=f"escalated:{order.pk}",
        )
    return order


def suggestion_mark_key(
    *,
    actor: Any,
    suggestion_id: int,
    version: int,
    is_key: bool,
    leader_id: int | None = None,
    decided_on: date | None = None,
) -> Suggestion:
    """Record the chairpersons' council's choice of a key suggestion (重点督办) and the leader
    responsible for it (or take it back)."""
    who = access.require(actor, "suggestions.suggestion.mark_key", _get(suggestion_id))
    leader = None
    if is_key:
        errors: dict[str, list[str]] = {}
        leader = Person.objects.filter(pk=leader_id, is_active=True).first() if leader_id else None
        if leader is None:
            errors["leader"] = [_("请选择督办领导。")]
        if not isinstance(decided_on, date):
            errors["decided_on"] = [_("请填写主任会议确定的日期。")]
        elif decided_on > timezone.localdate():
            errors["decided_on"] = [_("确定日期不能晚于今天。")]
        if errors:
            raise ValidationFailed(_("重点督办未保存，请按提示更正。"), field_errors=errors)
    with transaction.atomic():
        s = _lock(suggestion_id, version)
        if s.status in (S.SUBMITTED, S.NOT_ACCEPTED, S.WITHDRAWN):
            raise TransitionNotAllowed(
                _("该建议当前为“%(state)s”，不能列为重点督办。") % {"state": s.get_status_display()}
            )
        before = {
            "is_key": s.is_key,
            "key_leader": s.key_leader_id,
            "key_decided_on": s.key_decided_on,
        }
        s.is_key = is_key
        s.key_leader = leader
        s.key_decided_on = decided_on if is_key else None
        after = {
            "is_key": s.is_key,
            "key_leader": s.key_leader_id,
            "key_decided_on": s.key_decided_on,
        }
        if before == after:
            return s
        _save(s, "is_key", "key_leader", "key_decided_on")
        audit.record(
            action="suggestions.suggestion.key_marked",
            actor=who,
            target=s,
            organisation_id=s.office_id,
            before=before,
            after=after,
        )
        if is_key and s.lead_unit_id:
            _notify(
                s,
                kind="suggestions.suggestion.key_marked",
                recipients=users_holding([s.lead_unit_id]),
                title=_("代表建议 %(t)s 列为重点督办建议") % {"t": _title(s)},
                occurrence=f"key:{s.version}",
            )
    return s


def overdue_escalate(*, now: datetime | None = None, limit: int = 1000) -> int:
    """The periodic job: a reply or re-reply deadline that passed without a reply escalates to
    joint supervision (an automatic 逾期督办 order to the lead unit, once per suggestion while
    it is live). Safe to run twice at once (the unique live-order constraint)."""
    now = now or timezone.now()
    due = list(
        Suggestion.objects.filter(
            status__in=[S.ASSIGNED, S.HANDLING, S.REOPENED],
            reply_due_at__lt=now,
            lead_unit__isnull=False,
        )
        # A merged suggestion's first reply is its primary's (the primary's order covers it).
        .exclude(merged_into__isnull=False, reply_round=0)
        .exclude(
            supervision_orders__kind=SupervisionKind.OVERDUE,
            supervision_orders__state__in=[SupervisionState.ISSUED, SupervisionState.RESPONDED],
        )
        .order_by("reply_due_at")[:limit]
    )
    issued = 0
    for s in due:
        with transaction.atomic():
            locked = Suggestion.objects.select_for_update().get(pk=s.pk)
            if locked.status not in (S.ASSIGNED, S.HANDLING, S.REOPENED):
                continue
            order = _issue_order(
                locked,
                actor=None,
                kind=SupervisionKind.OVERDUE,
                issued_by_org_id=locked.office_id,
                to_unit_id=locked.lead_unit_id,
                requirements=_("答复期限已过仍未答复，转入联合督办。请说明原因并尽快答复代表。"),
                automatic=True,
            )
            issued += order is not None
    return issued


# --- Joint follow-up visit (联访) --------------------------------------------------------------


def follow_up_visit(*, actor: Any, suggestion_id: int, data: dict[str, Any]) -> Any:
    """The stationed group records a joint follow-up visit (联合回访) on the suggestion: an
    activity of kind 回访 it organises, with the lead unit taking part and the suggestion linked.
    Findings of the visit are raised on the activity and lead to rectification.

    `data`: organiser_id (a stationed-group organisation of the actor), title, starts_at,
    place, notes."""
    from wulian.core.activities import services as activity_services
    from wulian.core.activities.choices import ActivityKind, ParticipantRole

    s = _get(suggestion_id)
    who = access.require(actor, "suggestions.suggestion.follow_up", s)
    records.require_view(who, s)
    if s.status in (S.SUBMITTED, S.NOT_ACCEPTED, S.WITHDRAWN, S.ACCEPTED):
        raise TransitionNotAllowed(
            _("该建议当前为“%(state)s”，尚未交办，不能回访。") % {"state": s.get_status_display()}
        )
    with transaction.atomic():
        activity = activity_services.activity_create(
            actor=who,
            data={
                "organiser_id": data.get("organiser_id"),
                "kind": ActivityKind.FOLLOW_UP_VISIT,
                "title": (data.get("title") or _("联合回访：%(t)s") % {"t": s.title})[:200],
                "starts_at": data.get("starts_at") or timezone.now(),
                "place": data.get("place") or "",
                "notes": data.get("notes") or "",
            },
        )
        if s.lead_unit_id:
            activity_services.activity_participant_add(
                actor=who,
                activity_id=activity.pk,
                organisation_id=s.lead_unit_id,
                role=ParticipantRole.PARTICIPANT,
            )
        activity_services.activity_record_link(actor=who, activity_id=activity.pk, record=s)
        audit.record(
            action="suggestions.suggestion.follow_up_visited",
            actor=who,
            target=s,
            organisation_id=activity.organiser_id,
            after={"activity": activity.pk, "lead_unit": s.lead_unit_id},
        )
    return activity


def consultation_record(*, actor: Any, data: dict[str, Any]) -> Any:
    """The pre-consultation with the big handlers (承办大户提前会商) before a joint assignment:
    a held joint meeting organised by the actor's office with the handling units taking part.

    `data`: organiser_id, title, starts_at, place, notes, unit_ids."""
    from wulian.core.activities import services as activity_services
    from wulian.core.activities.choices import ActivityKind, ParticipantRole

    who = access.require(actor, "suggestions.suggestion.assign")
    unit_ids = list(dict.fromkeys(int(i) for i in data.get("unit_ids") or ()))
    if not unit_ids:
        raise _fail(_("请选择参加会商的承办单位。"), "units")
    with transaction.atomic():
        activity = activity_services.activity_create(
            actor=who,
            data={
                "organiser_id": data.get("organiser_id"),
                "kind": ActivityKind.JOINT_MEETING,
                "title": (data.get("title") or _("代表建议承办大户提前会商"))[:200],
                "starts_at": data.get("starts_at") or timezone.now(),
                "place": data.get("place") or "",
                "notes": data.get("notes") or "",
            },
        )
        for unit_id in unit_ids:
            _handling_unit(unit_id, "units")
            activity_services.activity_participant_add(
                actor=who,
                activity_id=activity.pk,
                organisation_id=unit_id,
                role=ParticipantRole.PARTICIPANT,
            )
        audit.record(
            action="suggestions.consultation.recorded",
            actor=who,
            target=activity,
            organisation_id=activity.organiser_id,
            after={"activity": activity.pk, "units": unit_ids},
        )
    return activity


# --- Publication -----------------------------------------------------------------------------


def _publication_digests(s: Suggestion, replies: Iterable[Reply]) -> dict[str, Any]:
    """The audit trail's record of the approved texts: their SM3 digests, not the texts."""
    return {
        "public": s.public,
        "title_sm3": _digest(s.public_title),
        "content_sm3": _digest(s.public_content),
        "replies_sm3": {str(r.round): _digest(r.published_text) for r in replies},
    }


def suggestion_publish(
    *,
    actor: Any,
    suggestion_id: int,
    version: int,
    title: str,
    content: str,
    replies: Mapping[int, str],
) -> Suggestion:
    """Congress staff approve the texts the public page shows — the public title, the public
    content (empty: not shown) and each reply round's text (`replies`: round → text; empty:
    that reply is not shown) — and publish the answered suggestion; on a published one, the
    approved texts are replaced. Nothing else of the suggestion is ever public.

    A reply's text may be approved only if its unit wrote a public text for it (the unit's
    consent); at least one reply is approved. The audit event holds SM3 digests of the
    approved texts, not the texts. The deputies and the lead unit are told."""
    who = access.require(actor, "suggestions.suggestion.manage", _get(suggestion_id))
    with transaction.atomic():
        s = _lock(suggestion_id, version)
        if s.status not in (S.ANSWERED, S.CLOSED):
            raise TransitionNotAllowed(
                _("只有已答复的建议才能公开（当前为“%(state)s”）。")
                % {"state": s.get_status_display()}
            )
        rows = list(Reply.objects.select_for_update().filter(suggestion=s).order_by("round"))
        if not any(r.public_text for r in rows):
            raise RuleViolation(
                _("答复没有可公开的文本。请承办单位在答复时填写公开文本（去除个人信息）后再公开。")
            )
        errors: dict[str, list[str]] = {}

        def text(value: Any, field: str, label: str, **kw: Any) -> str:
            try:
                return _text(value, field, label, **kw)
            except ValidationFailed as exc:
                errors.update(exc.field_errors or {})
                return ""

        new_title = text(title, "title", _("公开标题"), limit=MAX_TITLE)
        new_content = text(content, "content", _("公开内容"), required=False)
        rounds = {r.round for r in rows}
        for n in sorted(set(replies) - rounds):
            errors[f"reply_{n}"] = [_("该建议没有第 %(n)d 次答复。") % {"n": n}]
        texts: dict[int, str] = {}
        for r in rows:
            field = f"reply_{r.round}"
            texts[r.round] = text(
                replies.get(r.round, ""),
                field,
                _("第 %(n)d 次答复的公开文本") % {"n": r.round},
                required=False,
            )
            if texts[r.round] and not r.public_text:
                errors[field] = [
                    _("承办单位没有为第 %(n)d 次答复填写公开文本，即未同意公开，请留空。")
                    % {"n": r.round}
                ]
        if not errors and not any(texts.values()):
            last = max(r.round for r in rows if r.public_text)
            errors[f"reply_{last}"] = [_("请审定至少一次答复的公开文本。")]
        if errors:
            raise ValidationFailed(_("公开文本未审定，请按提示更正。"), field_errors=errors)
        before = _publication_digests(s, rows)
        changed = [r for r in rows if r.published_text != texts[r.round]]
        same = (s.public_title, s.public_content) == (new_title, new_content)
        if s.public and same and not changed:
            return s  # approved as it stands: nothing to record
        now = timezone.now()
        for r in changed:
            r.published_text = texts[r.round]
            r.save(update_fields=["published_text"])
        names = selectors.public_names(suggestion_id=s.pk)
        shown = [new_title, new_content, *(texts[r.round] for r in rows)]
        first = not s.public
        s.public = True
        if first:
            s.published_at = now
        s.public_title = new_title
        s.public_content = new_content
        s.public_approved_by = who.user
        s.public_approved_at = now
        s.public_search_tokens = search.public_tokens_for(*(redact.redact(t, names) for t in shown))
        _save(
            s,
            "public",
            "published_at",
            "public_title",
            "public_content",
            "public_approved_by",
            "public_approved_at",
            "public_search_tokens",
        )
        audit.record(
            action="suggestions.suggestion.published",
            actor=who,
            target=s,
            organisation_id=s.office_id,
            before=before,
            after=_publication_digests(s, rows),
        )
        _notify(
            s,
            kind="suggestions.suggestion.published",
            recipients=[*_deputies(s), *users_holding([s.lead_unit_id] if s.lead_unit_id else [])],
            title=(
                _("建议 %(t)s 及其答复已在公开页面公开")
                if first
                else _("建议 %(t)s 公开的文本已更新")
            )
            % {"t": _title(s)},
            occurrence=f"published:{s.version}",
        )
    return s


def suggestion_unpublish(*, actor: Any, suggestion_id: int, version: int) -> Suggestion:
    """Congress staff take a suggestion off the public page; its approved texts are cleared
    (publishing again needs a new approval). The deputies and the lead unit are told."""
    who = access.require(actor, "suggestions.suggestion.manage", _get(suggestion_id))
    with transaction.atomic():
        s = _lock(suggestion_id, version)
        rows = list(Reply.objects.select_for_update().filter(suggestion=s).order_by("round"))
        if not s.public:
            raise TransitionNotAllowed(_("该建议没有公开，无需取消公开。"))
        before = _publication_digests(s, rows)
        for r in rows:
            if r.published_text:
                r.published_text = ""
                r.save(update_fields=["published_text"])
        s.public = False
        s.published_at = None
        s.public_title = ""
        s.public_content = ""
        s.public_approved_by = None
        s.public_approved_at = None
        s.public_search_tokens = ""
        _save(
            s,
            "public",
            "published_at",
            "public_title",
            "public_content",
            "public_approved_by",
            "public_approved_at",
            "public_search_tokens",
        )
        audit.record(
            action="suggestions.suggestion.unpublished",
            actor=who,
            target=s,
            organisation_id=s.office_id,
            before=before,
            after={"public": False},
        )
        _notify(
            s,
            kind="suggestions.suggestion.unpublished",
            recipients=[*_deputies(s), *users_holding([s.lead_unit_id] if s.lead_unit_id else [])],
            title=_("建议 %(t)s 已从公开页面撤下") % {"t": _title(s)},
            occurrence=f"unpublished:{s.version}",
        )
    return s


# --- Campaign opinions (三进三促) -----------------------------------------------------------------


def campaign_create(*, actor: Any, data: dict[str, Any]) -> Campaign:
    """A campaign in which deputies collect opinions, organised by the actor's office."""
    who = access.require(actor, "suggestions.campaign.manage")
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
    if organiser is None or organiser.pk not in congress_org_ids(who):
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
            created_by=who.user,
        )
        audit.record(
            action="suggestions.campaign.created",
            actor=who,
            target=campaign,
            organisation_id=organiser.pk,
            after={"name": name, "year": year, "starts_on": starts_on, "ends_on": ends_on},
        )
    return campaign


def opinion_register(*, actor: Any, campaign_id: int, data: dict[str, Any]) -> CampaignOpinion:
    """Register an opinion collected in a campaign: a deputy their own, congress staff for a
    deputy. `data`: content, collected_on, place, collected_by_id (staff only)."""
    who = access.require(actor, "suggestions.opinion.register")
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
    staff = bool(congress_org_ids(who))
    person_id = data.get("collected_by_id") if staff else who.person_id
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
            registered_by=who.user,
            registered_at=timezone.now(),
        )
        audit.record(
            action="suggestions.opinion.registered",
            actor=who,
            target=opinion,
            organisation_id=campaign.organiser_id,
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
    opinion = CampaignOpinion.objects.select_for_update().filter(pk=opinion_id).first()
    if opinion is None:
        raise ValidationFailed(_("意见不存在。"))
    if opinion.version != version:
        raise ConcurrentEdit(_("该意见已被他人处理，您的操作未执行。请刷新页面后再操作。"))
    return opinion


def opinion_assign(*, actor: Any, opinion_id: int, version: int, unit_id: int) -> CampaignOpinion:
    """Congress staff assign a registered opinion to a handling unit (or re-assign it)."""
    who = access.require(actor, "suggestions.campaign.manage")
    unit = _handling_unit(unit_id, "unit")
    with transaction.atomic():
        opinion = _lock_opinion(opinion_id, version)
        if opinion.state == OpinionState.COMPLETED:
            raise TransitionNotAllowed(_("该意见已办结，不能再交办。"))
        before = {"state": opinion.state, "unit": opinion.unit_id}
        opinion.state = OpinionState.ASSIGNED
        opinion.unit = unit
        opinion.assigned_at = timezone.now()
        opinion.assigned_by = who.user
        opinion.version += 1
        opinion.save(
            update_fields=["state", "unit", "assigned_at", "assigned_by", "version", "updated_at"]
        )
        audit.record(
            action="suggestions.opinion.assigned",
            actor=who,
            target=opinion,
            organisation_id=unit.pk,
            before=before,
            after={"state": opinion.state, "unit": unit.pk},
        )
        outbox.enqueue(
            kind="suggestions.opinion.assigned",
            recipients=users_holding([unit.pk]),
            title=_("收到交办的代表收集意见（%(c)s 第 %(n)d 号）")
            % {"c": opinion.campaign.name, "n": opinion.number},
            url=opinion.get_absolute_url(),
            dedupe=f"campaign-opinion:{opinion.pk}:assigned:{opinion.version}",
        )
    return opinion


def opinion_complete(*, actor: Any, opinion_id: int, version: int, result: str) -> CampaignOpinion:
    """The assigned unit completes the opinion with its result (办结)."""
    opinion = CampaignOpinion.objects.filter(pk=opinion_id).first()
    if opinion is None:
        raise ValidationFailed(_("意见不存在。"))
    who = access.require(actor, "suggestions.opinion.complete", opinion)
    result = _text(result, "result", _("办理结果"), limit=MAX_NOTE)
    with transaction.atomic():
        opinion = _lock_opinion(opinion_id, version)
        if opinion.state != OpinionState.ASSIGNED:
            raise TransitionNotAllowed(
                _("该意见当前为“%(state)s”，不能办结。") % {"state": opinion.get_state_display()}
            )
        opinion.state = OpinionState.COMPLETED
        opinion.result = result
        opinion.completed_at = timezone.now()
        opinion.completed_by = who.user
        opinion.version += 1
        opinion.save(
            update_fields=[
                "state",
                "result",
                "completed_at",
                "completed_by",
                "version",
                "updated_at",
            ]
        )
        audit.record(
            action="suggestions.opinion.completed",
            actor=who,
            target=opinion,
            organisation_id=opinion.unit_id,
            before={"state": OpinionState.ASSIGNED},
            after={"state": opinion.state, "result_sm3": _digest(result)},
        )
        outbox.enqueue(
            kind="suggestions.opinion.completed",
            recipients=_users_of_people([opinion.collected_by_id]),
            title=_("您收集的意见（%(c)s 第 %(n)d 号）已办结")
            % {"c": opinion.campaign.name, "n": opinion.number},
            url=opinion.get_absolute_url(),
            dedupe=f"campaign-opinion:{opinion.pk}:completed",
        )
    return opinion


__all__ = [
    "batch_confirm",
    "batch_propose",
    "batch_return",
    "campaign_create",
    "consultation_record",
    "contact_record",
    "follow_up_visit",
    "opinion_assign",
    "opinion_complete",
    "opinion_give",
    "opinion_register",
    "overall_of",
    "overdue_escalate",
    "reply_extension_decide",
    "reply_extension_request",
    "reply_send",
    "session_create",
    "suggestion_accept",
    "suggestion_mark_key",
    "suggestion_publish",
    "suggestion_reject",
    "suggestion_submit",
    "suggestion_withdraw",
    "supervision_close",
    "supervision_escalate",
    "supervision_issue",
    "supervision_respond",
    "verdict_give",
]
